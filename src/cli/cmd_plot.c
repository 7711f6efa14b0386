/* cmd_plot.c - parley plot: one chart as deterministic SVG, for papers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: parley plot FILE --chart NAME [--issue ID] [--model SPEC] [--draws N] [--seed S] [--detail D] -o OUT.svg\n\n"
    "Charts:\n"
    "  positions      every actor's position (colour) and salience (strength) on every issue\n"
    "  forecast       the issue's scale with the actors on it and every model's forecast (all issues without --issue)\n"
    "  trajectories   positions round by round in the first round-based model (e.g. --model bdm)\n"
    "  pressure       who presses whom in round 1 (--model bdm): what each actor accepted and its strongest\n"
    "                 other challenger; every challenge with --detail full\n"
    "  exchanges      the exchange model's round-1 trades (--model exchange)\n"
    "  distribution   the spread of each model's forecast over --draws Monte Carlo draws (default 1000)\n"
    "  tornado        how far each uncertain input moves the first model's forecast\n\n"
    "The SVG is the same bytes for the same input and options.\n";

int cmd_plot(int argc, char **argv)
{
    cli_args a;
    int rc = cli_start(argc, argv, "model,from,salience-scale,seed,quiet,help,o,draws,threads,chart,issue,detail", help, &a);
    if (rc >= 0) return rc;
    cli_catch_interrupt();
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    parley_plan *plan = NULL;
    parley_result *r = NULL;
    parley_mc *mc = NULL;
    double *lo = NULL, *hi = NULL;
    if (!err) return 1;
    if (!a.chart) {
        fprintf(stderr, "parley plot: expected --chart NAME (see parley plot --help)\n");
        rc = EXIT_USAGE;
        goto done;
    }
    if (parley_chart_check(a.chart, err) != PARLEY_OK) {
        rc = cli_failed(err, PARLEY_E_USAGE);
        goto done;
    }
    if ((rc = cli_read(&a, err, &s))) goto done;
    size_t issue = SIZE_MAX;
    if (a.issue && !parley_scenario_find_issue(s, a.issue, &issue)) {
        fprintf(stderr, "parley plot: unknown issue \"%s\"\n", a.issue);
        rc = EXIT_USAGE;
        goto done;
    }
    if ((rc = cli_plan(&a, s, err, &plan))) goto done;
    bool uncertain = !strcmp(a.chart, "distribution") || !strcmp(a.chart, "tornado");
    parley_status st = PARLEY_OK;
    if (uncertain) {
        st = cli_uncertainty(&a, s, plan, 1000, !strcmp(a.chart, "tornado"), false, &mc, &lo, &hi, err);
    } else if (!(r = cli_run(&a, s, plan, err))) {
        st = PARLEY_E_MODEL;
    }
    if (st != PARLEY_OK) {
        rc = cli_failed(err, st);
        goto done;
    }
    cli_print_diags(err, a.quiet);
    parley_error_clear(err);
    char *svg = parley_chart(s, r, mc, lo, hi, a.chart, issue, err);
    if (!svg && parley_error_status(err) == PARLEY_E_USAGE) {
        cli_print_diags(err, false);
        rc = EXIT_USAGE;
        goto done;
    }
    rc = cli_output(&a, svg, err);
done:
    free(lo), free(hi);
    parley_mc_free(mc);
    parley_result_free(r);
    parley_plan_free(plan);
    parley_scenario_free(s);
    parley_error_free(err);
    cli_args_free(&a);
    return cli_interrupt_exit("plot", rc);
}
