/* cmd_report.c - parley report: one self-contained HTML file a person can read without the docs. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const char help[] =
    "usage: parley report FILE -o report.html [--model SPEC] [--draws N] [--seed S] [--threads T]\n"
    "                     [--detail summary|normal|full]\n\n"
    "Writes one self-contained HTML file (no network access when opened, readable in print): the At a\n"
    "glance table (the ensemble's forecast and 80% interval per issue) first, every model's\n"
    "forecast, the scenario (positions and saliences, with the reasons on hover), each issue's scale with\n"
    "the actors and forecasts, round-by-round trajectories, who presses whom, the trades across issues,\n"
    "the spread of each forecast over N Monte Carlo draws of the scenario's ranges (default 500) with what\n"
    "moves it most, and the scenario's variants side by side.\n\n"
    "  --detail D     summary (the At a glance table and every model's forecast only), normal or full\n"
    "                 (default normal: everything above)\n"
    "  --archive DB   also record the run in the archive DB (default PARLEY_ARCHIVE; docs/archive.md), and\n"
    "                 show how the forecast moved over the scenario's archived runs\n";

int cmd_report(int argc, char **argv)
{
    cli_args a;
    int rc = cli_start(argc, argv, "model,from,salience-scale,seed,quiet,help,o,draws,threads,detail,archive", help, &a);
    if (rc >= 0) return rc;
    cli_catch_interrupt();
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL, **vs = NULL;
    parley_plan *plan = NULL;
    parley_result *r = NULL, **vr = NULL;
    parley_mc *mc = NULL;
    double *lo = NULL, *hi = NULL;
    size_t nv = 0;
    if (!err) return 1;
    if ((rc = cli_read(&a, err, &s))) goto done;
    if ((rc = cli_plan(&a, s, err, &plan))) goto done;
    parley_status st = (r = cli_run(&a, s, plan, err)) ? PARLEY_OK : PARLEY_E_MODEL;
    /* A summary shows neither the spread nor the variants: nothing is drawn or run for them. */
    bool summary = a.detail == PARLEY_DETAIL_SUMMARY;
    if (st == PARLEY_OK && !summary) st = cli_uncertainty(&a, s, plan, 500, true, true, &mc, &lo, &hi, err);
    nv = summary ? 0 : parley_variant_count(s);
    if (st == PARLEY_OK) st = cli_run_variants(&a, s, plan, nv, &vs, &vr, err);
    if (st != PARLEY_OK) {
        rc = cli_failed(err, st);
        goto done;
    }
    cli_print_diags(err, a.quiet);
    parley_error_clear(err);
    /* archived first, so that the report's trend of the archived runs ends with this one */
    if ((rc = cli_archive(&a, "report", s, r, (const parley_result *const *)vr, nv, mc))) goto done;
    parley_report_options po = {a.detail};
    char *html = parley_html_report_with(s, r, mc, lo, hi, (const parley_scenario *const *)vs, (const parley_result *const *)vr, nv, &po, err);
    rc = cli_output(&a, cli_archive_trend(s, html, err), err);
done:
    cli_variants_free(vs, vr, nv);
    free(lo), free(hi);
    parley_mc_free(mc);
    parley_result_free(r);
    parley_plan_free(plan);
    parley_scenario_free(s);
    parley_error_free(err);
    cli_args_free(&a);
    return cli_interrupt_exit("report", rc);
}
