/* cmd_montecarlo.c - parley montecarlo: draws of the uncertain inputs, every model on each. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"

static const char help[] =
    "usage: parley montecarlo FILE [--draws N] [--model SPEC] [--seed S] [--threads T]\n"
    "                         [--threshold 'ISSUE>=VALUE' ...] [--format text|json] [--detail D] [-o OUT]\n\n"
    "Draws every uncertain number of the scenario (positions, saliences and capabilities that carry a\n"
    "range or distribution) N times, runs the models on each draw, and reports per model and issue the\n"
    "base forecast, the mean, standard deviation, quantiles (5 to 95%) and a histogram, and the\n"
    "probability of each --threshold statement (ISSUE<V, <=, > or >=).\n\n"
    "Draw i seeds its own generator from (seed, i): the output is the same, byte for byte, for any\n"
    "--threads. Ctrl-C stops early and reports the draws completed so far.\n\n"
    "  --draws N      number of draws (default 1000)\n"
    "  --model SPEC   models and options, as for parley forecast (default: the scenario's, else all that suit)\n"
    "  --seed S       seed (default 1)\n"
    "  --threads T    worker threads (default PARLEY_THREADS, else one per core)\n"
    "  --threshold S  a probability statement, e.g. 'ceasefire>=60' (repeatable)\n"
    "  --format F     text (default) or json\n"
    "  --detail D     summary (the headline model's rows only), normal or full (default normal: every model)\n"
    "  -o OUT         write the report to OUT (atomically) instead of standard output\n"
    "  --archive DB   also record the run in the archive DB (default PARLEY_ARCHIVE; docs/archive.md)\n"
    "  --quiet        print errors only\n";

/* A progress bar on a terminal; nothing otherwise. */
static void progress(void *ctx, size_t done, size_t total)
{
    (void)ctx;
    if (!total) return;
    int width = 40, fill = (int)((double)done / (double)total * width);
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu draws", fill, "########################################", width - fill, "", done, total);
    fflush(stderr);
}

int cmd_montecarlo(int argc, char **argv)
{
    cli_args a;
    int rc = cli_start(argc, argv, "model,format,from,salience-scale,seed,quiet,help,o,draws,threads,threshold,detail,archive", help, &a);
    if (rc >= 0) return rc;
    cli_catch_interrupt(); /* from the start: a Ctrl-C during the base run reports no draws */
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    parley_plan *plan = NULL;
    parley_mc *mc = NULL;
    if (!err) return 1;
    if ((rc = cli_read(&a, err, &s))) goto done;
    if (parley_mc_check_thresholds(s, a.thresholds, a.n_thresholds, err) != PARLEY_OK) {
        rc = cli_failed(err, PARLEY_E_USAGE);
        goto done;
    }
    if ((rc = cli_plan(&a, s, err, &plan))) goto done;
    mc = parley_mc_new(s, plan, a.draws ? a.draws : 1000, a.seed, err);
    if (!mc) {
        rc = cli_failed(err, PARLEY_E_NOMEM);
        goto done;
    }
    cli_print_diags(err, a.quiet); /* the base run's warnings */
    parley_error_clear(err);
    bool tty = isatty(STDERR_FILENO) && !a.quiet;
    parley_mc_options o = {a.threads, tty ? progress : NULL, NULL, &cli_interrupted};
    parley_status st = parley_mc_run(mc, 0, 1, &o, err);
    if (tty) fputs("\n", stderr);
    if (st != PARLEY_OK) {
        cli_print_diags(err, false);
        rc = parley_status_exit_code(st);
        goto done;
    }
    if (cli_interrupted)
        fprintf(stderr, "parley montecarlo: interrupted; reporting the %zu draws completed\n", parley_mc_completed(mc));
    parley_report_options po = {a.detail};
    rc = cli_output(&a, parley_mc_report_with(mc, a.format ? a.format : "text", a.thresholds, a.n_thresholds, &po, err), err);
    if (rc == 0 && cli_interrupted) rc = 130; /* a sample cut short is not archived */
    if (rc == 0) rc = cli_archive(&a, "montecarlo", s, NULL, NULL, 0, mc);
done:
    parley_mc_free(mc);
    parley_plan_free(plan);
    parley_scenario_free(s);
    parley_error_free(err);
    cli_args_free(&a);
    return rc;
}
