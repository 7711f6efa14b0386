/* cmd_validate.c - `parley validate FILE`: read, check and summarise a scenario. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const char help[] =
    "usage: parley validate FILE [--from FORMAT] [--salience-scale auto|fraction|percent] [--quiet]\n\n"
    "Reads FILE, reports every fault found (file:line:column, the field, what was expected and what was\n"
    "found) and exits 2 when there is one; otherwise summarises the scenario and exits 0.\n";

/* Prints s with its control characters escaped: a scenario's name is the file's text, and an ESC in it
 * must not reach the terminal raw. */
static void put_escaped(const char *s)
{
    char small[256];
    int n = parley_escape_text(s, small, sizeof small);
    char *big = n >= (int)sizeof small ? malloc((size_t)n + 1) : NULL;
    if (big) parley_escape_text(s, big, (size_t)n + 1);
    fputs(big ? big : small, stdout);
    free(big);
}

int cmd_validate(int argc, char **argv)
{
    cli_args a;
    int rc = cli_start(argc, argv, "from,salience-scale,quiet,help", help, &a);
    if (rc >= 0) return rc;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    if (!err) return 1;
    rc = cli_read(&a, err, &s);
    if (rc == 0) {
        /* The stances are counted by the index, not by asking each of actors x issues cells: a file of
         * 30,000 actors, 10,000 issues and one stance took seconds that way. */
        size_t stances = parley_scenario_stance_count(s), with_ref = 0, with_out = 0;
        for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
            with_ref += !isnan(parley_issue_number(s, k, PARLEY_ISSUE_REFERENCE));
            with_out += !isnan(parley_issue_number(s, k, PARLEY_ISSUE_OUTCOME));
        }
        size_t na = parley_scenario_actor_count(s), ni = parley_scenario_issue_count(s);
        const char *name = parley_scenario_text(s, PARLEY_TEXT_NAME);
        put_escaped(a.input);
        printf(": valid %s scenario \"", parley_scenario_format(s));
        put_escaped(name ? name : "");
        printf("\": %zu actor%s, %zu issue%s, %zu stance%s", na, na == 1 ? "" : "s", ni, ni == 1 ? "" : "s", stances,
               stances == 1 ? "" : "s");
        if (with_ref) printf(", %zu reference point%s", with_ref, with_ref == 1 ? "" : "s");
        if (with_out) printf(", %zu known outcome%s", with_out, with_out == 1 ? "" : "s");
        printf("\n");
    }
    parley_scenario_free(s);
    parley_error_free(err);
    cli_args_free(&a);
    return rc;
}
