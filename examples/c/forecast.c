/* forecast.c - libparley's first documentation: read a scenario, run two models, print their forecasts.
 *
 * Build against an installed parley:  cc forecast.c $(pkg-config --cflags --libs parley) -o forecast
 * or with CMake: find_package(parley) and link parley::parley (see CMakeLists.txt beside this file).
 * Run:  ./forecast examples/jeddah-2025.json */
#include <math.h>
#include <stdio.h>

#include <parley/parley.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s SCENARIO\n", argv[0]);
        return 2;
    }
    /* Every fallible call fills one error list: its diagnostics name file, line, field, expected, found. */
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    parley_plan *plan = NULL;
    parley_result *r = NULL;
    int rc = 1;
    if (!err) return 1;
    if (parley_read_file(argv[1], NULL, &s, err) != PARLEY_OK) goto fail;
    if (parley_plan_parse(&plan, "compromise,bdm:scholz2011", err) != PARLEY_OK) goto fail;
    if (!(r = parley_run(s, plan, 1, err))) goto fail; /* seed 1: the same numbers on every run */

    printf("%s\n", parley_scenario_text(s, PARLEY_TEXT_NAME) ? parley_scenario_text(s, PARLEY_TEXT_NAME) : argv[1]);
    printf("%-14s", "issue");
    for (size_t run = 0; run < parley_result_run_count(r); run++) printf(" %16s", parley_result_run_label(r, run));
    printf("\n");
    for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
        printf("%-14s", parley_issue_id(s, k));
        for (size_t run = 0; run < parley_result_run_count(r); run++) {
            double v = parley_result_value(r, run, k);
            if (isnan(v)) printf(" %16s", "-");
            else printf(" %16.2f", v);
        }
        printf("\n");
    }
    rc = 0;
fail:
    /* Diagnostics come formatted as "file:line:column: severity: field: message". */
    for (size_t i = 0; rc && i < parley_error_count(err); i++) {
        char line[1024];
        parley_diag_format(parley_error_at(err, i), line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
    if (rc) rc = parley_status_exit_code(parley_error_status(err));
    parley_result_free(r);
    parley_plan_free(plan);
    parley_scenario_free(s);
    parley_error_free(err);
    return rc;
}
