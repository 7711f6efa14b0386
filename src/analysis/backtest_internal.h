/* backtest_internal.h - what the backtest shares with the fit: applying capabilities to a batch. */
#ifndef PARLEY_BACKTEST_INTERNAL_H
#define PARLEY_BACKTEST_INTERNAL_H

#include "parley/backtest.h"

/* Returns a finalized copy of s whose every stance has its actor's capability from caps for the issue's
 * date (NULL caps: 1 for every actor, "equal capabilities"); an actor caps lacks keeps 1, with a warning
 * in err. NULL with err filled on failure. The caller frees it. */
parley_scenario *bt_with_capabilities(const parley_scenario *s, const parley_capabilities *caps, parley_error *err);
/* The file caps was read from ("a file" when it has no path). */
const char *bt_capabilities_path(const parley_capabilities *caps);

#endif
