/* cmd_compare.c - parley compare: the base case and every variant the scenario declares. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const char help[] =
    "usage: parley compare FILE [--model SPEC] [--seed S] [--format text|json] [--detail summary|normal|full] [-o OUT]\n\n"
    "Runs the models on the scenario as written and on every variant it declares (\"variants\": set,\n"
    "shift or scale a number, remove an actor or add one), and shows each model's forecast per issue\n"
    "with its change from the base case, after the base case's At a glance table and each variant's headline.\n\n"
    "  --model SPEC   models and options, as for parley forecast\n"
    "  --seed S       seed (default 1)\n"
    "  --format F     text (default) or json\n"
    "  --detail D     summary (the headlines only), normal (default: every model too) or full\n"
    "  -o OUT         write the report to OUT (atomically) instead of standard output\n"
    "  --archive DB   also record the runs in the archive DB (default PARLEY_ARCHIVE; docs/archive.md)\n"
    "  --quiet        print errors only\n";

int cmd_compare(int argc, char **argv)
{
    cli_args a;
    int rc = cli_start(argc, argv, "model,format,from,salience-scale,seed,quiet,help,o,detail,archive", help, &a);
    if (rc >= 0) return rc;
    cli_catch_interrupt();
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    parley_plan *plan = NULL;
    parley_result *base = NULL;
    parley_scenario **vs = NULL;
    parley_result **vr = NULL;
    size_t n = 0;
    if (!err) return 1;
    if ((rc = cli_read(&a, err, &s))) goto done;
    n = parley_variant_count(s);
    if (n == 0) {
        fprintf(stderr, "parley compare: %s declares no variants (see docs/scenario-format.md, \"variants\")\n", a.input);
        rc = EXIT_USAGE;
        goto done;
    }
    if ((rc = cli_plan(&a, s, err, &plan))) goto done;
    base = cli_run(&a, s, plan, err);
    if (!base) {
        rc = cli_failed(err, PARLEY_E_NOMEM);
        goto done;
    }
    parley_status st = cli_run_variants(&a, s, plan, n, &vs, &vr, err);
    if (st != PARLEY_OK) {
        rc = cli_failed(err, st);
        goto done;
    }
    cli_print_diags(err, a.quiet);
    parley_error_clear(err);
    parley_report_options ro = {a.detail};
    rc = cli_output(&a, parley_compare_report_with(s, base, (const parley_scenario *const *)vs, (const parley_result *const *)vr, n,
                                                   a.format ? a.format : "text", &ro, err),
                    err);
    if (rc == 0) rc = cli_archive(&a, "compare", s, base, (const parley_result *const *)vr, n, NULL);
done:
    cli_variants_free(vs, vr, n);
    parley_result_free(base);
    parley_plan_free(plan);
    parley_scenario_free(s);
    parley_error_free(err);
    cli_args_free(&a);
    return cli_interrupt_exit("compare", rc);
}
