/* cmd_forecast.c - `parley forecast FILE`: run models and print the forecast. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: parley forecast FILE [--model SPEC] [--format text|json|csv] [--detail summary|normal|full] [-o OUT]\n"
    "                       [--from FORMAT] [--salience-scale auto|fraction|percent] [--seed N] [--archive DB] [--quiet]\n\n"
    "Runs models on the scenario in FILE (- reads standard input) and prints each issue's forecast.\n\n"
    "  --model SPEC   models to run: a comma-separated list of name[:preset] items, each followed by its\n"
    "                 key=value options, e.g. 'median,tie=upper,compromise'. May be repeated. Default: the\n"
    "                 scenario's \"models\" key, else every model that suits the scenario (`parley models`).\n"
    "  --format F     text (default, for people), json or csv\n"
    "  --detail D     summary (the At a glance table only), normal (default: that table, one line per\n"
    "                 model and bounded records) or full (everything: every round, trade and challenge)\n"
    "  -o OUT         write to OUT (atomically) instead of standard output\n"
    "  --from F       the input format: json, csv, bdm, ktab, decide or deu (default: sniffed)\n"
    "  --salience-scale S\n"
    "                 auto (default: fractions when all lie in [0, 1], percentages when some exceed 1\n"
    "                 and none lies strictly between 0 and 1, an error otherwise), fraction or percent\n"
    "  --seed N       seed for every random draw (default 1); recorded in JSON output\n"
    "  --archive DB   also record the run in the archive DB (SQLite; default PARLEY_ARCHIVE; docs/archive.md)\n"
    "  --quiet        print errors only, no notes or warnings\n";

int cmd_forecast(int argc, char **argv)
{
    cli_args a;
    int rc = cli_start(argc, argv, "model,format,from,salience-scale,seed,quiet,help,o,detail,archive", help, &a);
    if (rc >= 0) return rc;
    cli_catch_interrupt();
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    parley_plan *plan = NULL;
    parley_result *r = NULL;
    if (!err) return 1;
    if ((rc = cli_read(&a, err, &s))) goto done;
    if ((rc = cli_plan(&a, s, err, &plan))) goto done;
    r = cli_run(&a, s, plan, err);
    if (!r) {
        rc = cli_failed(err, PARLEY_E_MODEL);
        goto done;
    }
    cli_print_diags(err, a.quiet); /* the models' warnings and notes */
    parley_error_clear(err);
    parley_report_options ro = {a.detail};
    const char *format = a.format ? a.format : "text";
    if ((!a.output || !strcmp(a.output, "-")) && !strcmp(format, "json")) {
        /* To standard output JSON streams as it is made: a large result's text never sits whole in memory.
         * A file (-o) is written atomically, from the whole text. */
        parley_status st = parley_report_write(stdout, "<stdout>", s, r, format, &ro, err);
        if (st != PARLEY_OK) cli_print_diags(err, false);
        rc = parley_status_exit_code(st);
    } else {
        rc = cli_output(&a, parley_report_with(s, r, format, &ro, err), err);
    }
    if (rc == 0) rc = cli_archive(&a, "forecast", s, r, NULL, 0, NULL);
done:
    parley_result_free(r);
    parley_plan_free(plan);
    parley_scenario_free(s);
    parley_error_free(err);
    cli_args_free(&a);
    return cli_interrupt_exit("forecast", rc);
}
