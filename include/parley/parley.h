/* parley.h - everything in libparley: include this one header.
 *
 * The flow: read a scenario (io.h), pick models (model.h), run them into a result (result.h), write the
 * result (report.h). Analyses such as the backtest (backtest.h) drive models many times. Every fallible
 * call returns a parley_status and fills a parley_error (error.h).
 *
 * One constructor convention: an object that can fail to be made for a reason a user must read is made by
 * a call that takes `T **out` just before its `parley_error *err`, returns a parley_status, and sets *out
 * to the object (PARLEY_OK) or NULL (err says why): parley_read_file, parley_read_buffer,
 * parley_scenario_variant, parley_run_with, parley_mc_create, parley_backtest_run,
 * parley_capabilities_read; parley_plan_parse takes its plan first, to extend a plan already made. An
 * object that can fail only for lack of memory is made by parley_T_new, _clone or _default, which
 * return it or NULL. parley_run, parley_run_flags and parley_mc_new are shorthands that return the
 * object, NULL with err filled. Every object is freed by its parley_T_free, which accepts NULL; what a
 * call returns belongs to the caller, what a getter returns belongs to the object it was read from.
 * Which objects threads may share: docs/threads.md and each header. */
#ifndef PARLEY_PARLEY_H
#define PARLEY_PARLEY_H

#include "parley/api.h"

#include "parley/advise.h"
#include "parley/archive.h"
#include "parley/analyze.h"
#include "parley/backtest.h"
#include "parley/brief.h"
#include "parley/error.h"
#include "parley/fit.h"
#include "parley/io.h"
#include "parley/model.h"
#include "parley/montecarlo.h"
#include "parley/report.h"
#include "parley/result.h"
#include "parley/rng.h"
#include "parley/scenario.h"
#include "parley/utility.h"
#include "parley/version.h"

#endif
