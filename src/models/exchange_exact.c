/* exchange_exact.c - the exchange model in double with proven error bounds (numerics=exact, the default):
 * exchange.c compiled a third time with EXCHANGE_EXACT; what the bounds cannot decide, the decimal
 * compilation (exchange_decimal.c) decides, so the choices are the reference's. */
#define EXCHANGE_EXACT 1
#include "exchange.c"
