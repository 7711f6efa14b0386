/* parley.h - everything in libparley: include this one header.
 *
 * The flow: read a scenario (io.h), pick models (model.h), run them into a result (result.h), write the
 * result (report.h). Analyses such as the backtest (backtest.h) drive models many times. Every fallible
 * call returns a parley_status and fills a parley_error (error.h). */
#ifndef PARLEY_PARLEY_H
#define PARLEY_PARLEY_H

#include "parley/api.h"

#include "parley/backtest.h"
#include "parley/error.h"
#include "parley/io.h"
#include "parley/model.h"
#include "parley/montecarlo.h"
#include "parley/report.h"
#include "parley/result.h"
#include "parley/rng.h"
#include "parley/scenario.h"
#include "parley/version.h"

#endif
