/* cmd_sensitivity.c - parley sensitivity: which uncertain inputs move each model's forecast. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const char help[] =
    "usage: parley sensitivity FILE [--model SPEC] [--draws N] [--seed S] [--threads T] [--format text|json]\n"
    "                          [--detail summary|normal|full] [-o OUT]\n\n"
    "For every uncertain number of the scenario (one that carries a range or distribution), and every model\n"
    "and issue: the swing of the forecast when that number alone goes from the low to the high end of its\n"
    "range (a normal's 5% and 95% points), others as written (tornado data), and its standardised\n"
    "regression coefficient over N Monte Carlo draws (its global effect, with the regression's R^2).\n"
    "Inputs are ranked by the size of their swing; text shows the top ten per model and issue.\n\n"
    "  --model SPEC   models and options, as for parley forecast\n"
    "  --draws N      Monte Carlo draws for the regression (default 1000)\n"
    "  --seed S       seed (default 1)\n"
    "  --threads T    worker threads (default PARLEY_THREADS, else one per core)\n"
    "  --format F     text (default) or json (every input that moves a forecast, for charts)\n"
    "  --detail D     summary (the headline model's top three inputs per issue), normal (default: every\n"
    "                 model's top ten) or full (every input that moves a forecast)\n"
    "  -o OUT         write the report to OUT (atomically) instead of standard output\n"
    "  --archive DB   also record the run in the archive DB (default PARLEY_ARCHIVE; docs/archive.md)\n"
    "  --quiet        print errors only\n";

int cmd_sensitivity(int argc, char **argv)
{
    cli_args a;
    int rc = cli_start(argc, argv, "model,format,from,salience-scale,seed,quiet,help,o,draws,threads,detail,archive", help, &a);
    if (rc >= 0) return rc;
    cli_catch_interrupt();
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    parley_plan *plan = NULL;
    parley_mc *mc = NULL;
    double *lo = NULL, *hi = NULL;
    if (!err) return 1;
    if ((rc = cli_read(&a, err, &s))) goto done;
    if ((rc = cli_plan(&a, s, err, &plan))) goto done;
    parley_status st = cli_uncertainty(&a, s, plan, 1000, true, false, &mc, &lo, &hi, err);
    if (st != PARLEY_OK) {
        rc = cli_failed(err, st);
        goto done;
    }
    parley_report_options ro = {a.detail};
    rc = cli_output(&a, parley_sensitivity_report_with(mc, lo, hi, a.format ? a.format : "text", 10, &ro, err), err);
    if (rc == 0) rc = cli_archive(&a, "sensitivity", s, NULL, NULL, 0, mc);
done:
    free(lo), free(hi);
    parley_mc_free(mc);
    parley_plan_free(plan);
    parley_scenario_free(s);
    parley_error_free(err);
    cli_args_free(&a);
    return cli_interrupt_exit("sensitivity", rc);
}
