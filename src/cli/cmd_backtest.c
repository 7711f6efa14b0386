/* cmd_backtest.c - `parley backtest FILE`: score models against known outcomes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: parley backtest FILE [--outcomes FILE.csv] [--capabilities equal|FILE.csv] [--model SPEC]\n"
    "                       [--format text|json|csv] [-o OUT] [--from FORMAT] [--seed N]\n"
    "                       [--cv proposals|none] [--detail summary|normal|full] [--quiet]\n\n"
    "Runs models on every issue of FILE that has a known outcome (DEU III data, any scenario with\n"
    "outcomes, or the outcomes given with --outcomes) and prints, per model and baseline (the reference\n"
    "point, the mean of positions), the issues scored and skipped (and why), MAE, median AE, RMSE and\n"
    "CRPS; the coverage and width of the 50% and 80% intervals of models with distributions; each\n"
    "model's difference in MAE against compromise with a 95% bootstrap interval (2000 resamples of the\n"
    "proposals, --seed); MAE by DEU procedure and voting rule. JSON and CSV add each issue's forecast,\n"
    "outcome, error, CRPS and quantiles.\n\n"
    "  --outcomes FILE.csv      the known outcomes, from a CSV with the header issue,outcome,date,why,source:\n"
    "                           one row per issue, the outcome on the issue's scale; they replace the\n"
    "                           scenario's own (an issue without a row is not scored). Text and JSON then\n"
    "                           list each outcome with its date, reason and source\n"
    "  --cv proposals           fitted models (the ensemble) forecast each proposal's issues with parameters\n"
    "                           refitted on every other proposal (leave one proposal out); --cv none: as built\n"
    "  --detail D               text only: summary (the table of figures), normal (default: every section)\n"
    "                           or full (also every issue's outcome and each model's forecast)\n"
    "  (no --capabilities)      the scenario's own capabilities, as parley forecast uses them; a file that\n"
    "                           has none (DEU III) gives every actor 1, which is equal capabilities\n"
    "  --capabilities equal     every actor weighs 1\n"
    "  --capabilities FILE.csv  weights from a CSV with the header actor,weight and optional from,to\n"
    "                           (YYYY-MM-DD, inclusive) for weights that change over time\n"
    "  --archive DB             also record the run's forecasts in the archive DB (default PARLEY_ARCHIVE)\n";

/* Takes --cv MODE (or --cv=MODE) out of argv, leaving the rest to cli_start: the option is the backtest's
 * alone. Returns -1 to go on, or the exit code of a bad --cv. */
static int take_cv(int *argc, char **argv, parley_backtest_cv *cv)
{
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        const char *arg = argv[i], *val = NULL;
        if (!strcmp(arg, "--cv") || !strcmp(arg, "-cv")) {
            if (i + 1 >= *argc) {
                fprintf(stderr, "parley backtest: option %s expects a value (proposals or none)\n", arg);
                return EXIT_USAGE;
            }
            val = argv[++i];
        } else if (!strncmp(arg, "--cv=", 5) || !strncmp(arg, "-cv=", 4)) {
            val = strchr(arg, '=') + 1;
        } else {
            argv[out++] = argv[i];
            continue;
        }
        if (!strcmp(val, "proposals")) *cv = PARLEY_BACKTEST_CV_PROPOSALS;
        else if (!strcmp(val, "none")) *cv = PARLEY_BACKTEST_CV_NONE;
        else {
            fprintf(stderr, "parley backtest: --cv expects proposals or none, found \"%s\"\n", val);
            return EXIT_USAGE;
        }
    }
    *argc = out;
    argv[out] = NULL;
    return -1;
}

int cmd_backtest(int argc, char **argv)
{
    cli_args a;
    parley_backtest_cv cv = PARLEY_BACKTEST_CV_NONE;
    int rc = take_cv(&argc, argv, &cv);
    if (rc >= 0) return rc;
    rc = cli_start(argc, argv, "capabilities,outcomes,model,format,from,salience-scale,seed,quiet,help,o,detail,archive", help, &a);
    if (rc >= 0) return rc;
    if (cv == PARLEY_BACKTEST_CV_PROPOSALS) a.cv = "proposals";
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
    parley_backtest_options bo = {cv, 0, &ro};
    parley_status st = parley_backtest_run_ex(s, plan, caps, a.seed, &bo, &b, err);
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
    parley_report_options po = {a.detail};
    rc = cli_output(&a, parley_backtest_report_with(s, b, a.format ? a.format : "text", &po, err), err);
    if (rc == 0) rc = cli_archive(&a, "backtest", s, parley_backtest_result(b), NULL, 0, NULL);
done:
    parley_backtest_free(b);
    parley_capabilities_free(caps);
    parley_plan_free(plan);
    parley_scenario_free(s);
    parley_error_free(err);
    cli_args_free(&a);
    return cli_interrupt_exit("backtest", rc);
}
