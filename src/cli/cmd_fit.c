/* cmd_fit.c - `parley fit FILE`: refit the ensemble's parameters on decisions with known outcomes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static const char help[] =
    "usage: parley fit FILE [--model ensemble] [--capabilities equal|FILE.csv] [-o OUT] [--from FORMAT]\n"
    "                  [--seed N] [--threads N] [--quiet]\n\n"
    "Fits the ensemble's parameters on every issue of FILE that has a known outcome (a DEU III file, or any\n"
    "scenario with outcomes) by the grid search of docs/models/ensemble.md, cross-validates the fit leaving\n"
    "one proposal out at a time, and writes the parameters as JSON with their provenance (input SHA-256,\n"
    "capabilities, folds, seed, grid, figures). `--model ensemble,params=OUT` then forecasts with them.\n"
    "The fit draws nothing: the same file gives the same parameters, byte for byte.\n\n"
    "  --capabilities equal     every actor weighs 1 (default, as for backtest)\n"
    "  --capabilities FILE.csv  weights from a CSV with the header actor,weight and optional from,to\n";

int cmd_fit(int argc, char **argv)
{
    cli_args a;
    int rc = cli_start(argc, argv, "model,capabilities,from,salience-scale,seed,threads,quiet,help,o", help, &a);
    if (rc >= 0) return rc;
    cli_catch_interrupt();
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    parley_capabilities *caps = NULL;
    parley_fit *f = NULL;
    if (!err) return 1;
    if ((rc = cli_read(&a, err, &s))) goto done;
    if (a.capabilities && strcmp(a.capabilities, "equal")) {
        parley_status st = parley_capabilities_read(a.capabilities, &caps, err);
        if (st) {
            cli_print_diags(err, false);
            rc = parley_status_exit_code(st);
            goto done;
        }
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    parley_run_options ro = {0, a.threads, &cli_interrupted};
    parley_status st = parley_fit_run(s, a.models ? a.models : "ensemble", caps, a.seed, &ro, &f, err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (cli_interrupted) goto done;
    cli_print_diags(err, a.quiet);
    parley_error_clear(err);
    if (st) {
        rc = parley_status_exit_code(st);
        goto done;
    }
    if (!a.quiet) {
        parley_fit_figures in, cv;
        parley_fit_in_sample(f, &in);
        parley_fit_cross_validated(f, &cv);
        const char *name;
        double v;
        fprintf(stderr, "fit on %zu issues:", in.issues);
        for (size_t i = 0; parley_fit_param(f, i, &name, &v); i++) fprintf(stderr, " %s=%g", name, v);
        if (cv.folds)
            fprintf(stderr, "; cross-validated over %zu proposals: MAE %.3f, CRPS %.3f, coverage 50%% %.3f, 80%% %.3f",
                    cv.folds, cv.mae, cv.crps, cv.cov50, cv.cov80);
        fprintf(stderr, " (%.2f s)\n", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
    }
    rc = cli_output(&a, parley_fit_report(s, f, err), err);
done:
    parley_fit_free(f);
    parley_capabilities_free(caps);
    parley_scenario_free(s);
    parley_error_free(err);
    cli_args_free(&a);
    return cli_interrupt_exit("fit", rc);
}
