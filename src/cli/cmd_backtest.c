/* cmd_backtest.c - `parley backtest FILE`: score models against known outcomes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: parley backtest FILE [--outcomes FILE.csv] [--capabilities equal|FILE.csv] [--model SPEC]\n"
    "                       [--format text|json|csv] [-o OUT] [--from FORMAT] [--seed N] [--quiet]\n\n"
    "Runs models on every issue of FILE that has a known outcome (DEU III data, any scenario with\n"
    "outcomes, or the outcomes given with --outcomes) and prints, per model, the issues scored and the\n"
    "mean and median absolute error. JSON and CSV add each issue's forecast, outcome and error.\n\n"
    "  --outcomes FILE.csv      the known outcomes, from a CSV with the header issue,outcome,date,why,source:\n"
    "                           one row per issue, the outcome on the issue's scale; they replace the\n"
    "                           scenario's own (an issue without a row is not scored). Text and JSON then\n"
    "                           list each outcome with its date, reason and source\n"
    "  (no --capabilities)      the scenario's own capabilities, as parley forecast uses them; a file that\n"
    "                           has none (DEU III) gives every actor 1, which is equal capabilities\n"
    "  --capabilities equal     every actor weighs 1\n"
    "  --capabilities FILE.csv  weights from a CSV with the header actor,weight and optional from,to\n"
    "                           (YYYY-MM-DD, inclusive) for weights that change over time\n";

int cmd_backtest(int argc, char **argv)
{
    cli_args a;
    int rc = cli_start(argc, argv, "capabilities,outcomes,model,format,from,salience-scale,seed,quiet,help,o", help, &a);
    if (rc >= 0) return rc;
    cli_catch_interrupt();
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    parley_plan *plan = NULL;
    parley_capabilities *caps = NULL;
    parley_backtest *b = NULL;
    if (!err) return 1;
    if ((rc = cli_read(&a, err, &s))) goto done;
    if (a.outcomes) {
        /* The backtest, and its report, see the scenario with the file's outcomes in place of its own. */
        parley_scenario *with = NULL;
        parley_status st = parley_outcomes_apply(s, a.outcomes, &with, err);
        if (st) {
            cli_print_diags(err, false);
            rc = parley_status_exit_code(st);
            goto done;
        }
        parley_scenario_free(s);
        s = with;
    }
    if ((rc = cli_plan_backtest(&a, s, err, &plan))) goto done;
    if (!a.capabilities) {
        if (!(caps = parley_capabilities_own())) {
            rc = 1;
            fputs("parley backtest: out of memory\n", stderr);
            goto done;
        }
    } else if (strcmp(a.capabilities, "equal")) {
        parley_status st = parley_capabilities_read(a.capabilities, &caps, err);
        if (st) {
            cli_print_diags(err, false);
            rc = parley_status_exit_code(st);
            goto done;
        }
    }
    parley_run_options ro = {0, a.threads, &cli_interrupted};
    parley_status st = parley_backtest_run_with(s, plan, caps, a.seed, &ro, &b, err);
    if (cli_interrupted) goto done; /* cancelled: no report is written */
    cli_print_diags(err, a.quiet);
    parley_error_clear(err);
    if (st) {
        rc = parley_status_exit_code(st);
        goto done;
    }
    if (parley_backtest_issue_count(b) == 0 && !a.quiet)
        fprintf(stderr, "%s: warning: no issue has a known outcome, so nothing is scored (give them with --outcomes FILE.csv)\n",
                a.input);
    rc = cli_output(&a, parley_backtest_report(s, b, a.format ? a.format : "text", err), err);
done:
    parley_backtest_free(b);
    parley_capabilities_free(caps);
    parley_plan_free(plan);
    parley_scenario_free(s);
    parley_error_free(err);
    cli_args_free(&a);
    return cli_interrupt_exit("backtest", rc);
}
