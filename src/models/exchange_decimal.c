/* exchange_decimal.c - the exchange model's arithmetic again, in 28-digit decimals (numerics=decimal):
 * exchange.c compiled a second time with EXCHANGE_DECIMAL, so that both share one text of the model. */
#define EXCHANGE_DECIMAL 1
#include "exchange.c"
