/* cmd_convert.c - `parley convert IN -o OUT`: between formats. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: parley convert IN -o OUT [--to json|csv] [--from FORMAT] [--salience-scale S] [--quiet]\n\n"
    "Reads IN in any supported format and writes it as native JSON (lossless) or tidy CSV (one row per\n"
    "actor and issue, the scenario's name and other one-line texts on \"# name:\" lines before the header).\n"
    "A warning names everything CSV cannot hold (variants, shocks, reasons other than positions', ...).\n"
    "The output format comes from --to, else from OUT's extension (.json or .csv). OUT is written\n"
    "atomically; - writes standard output.\n";

int cmd_convert(int argc, char **argv)
{
    cli_args a;
    int rc = cli_start(argc, argv, "to,from,salience-scale,quiet,help,o", help, &a);
    if (rc >= 0) return rc;
    const char *to = a.format;
    if (!a.output) {
        fprintf(stderr, "parley convert: expected -o OUT (use -o - for standard output)\n");
        cli_args_free(&a);
        return EXIT_USAGE;
    }
    if (!to) {
        const char *dot = strrchr(a.output, '.');
        if (dot && !strcmp(dot, ".json")) to = "json";
        else if (dot && !strcmp(dot, ".csv")) to = "csv";
        else {
            fprintf(stderr, "parley convert: cannot tell the output format from \"%s\"; expected a .json or .csv "
                            "name, or --to json|csv\n", a.output);
            cli_args_free(&a);
            return EXIT_USAGE;
        }
    }
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    if (!err) return 1;
    if ((rc = cli_read(&a, err, &s))) goto done;
    char *text = parley_scenario_serialize(s, to, err);
    if (text) {
        /* What the format cannot hold, each dropped thing named (warnings: --quiet hides them). */
        cli_print_diags(err, a.quiet);
        parley_error_clear(err);
    }
    rc = cli_output(&a, text, err);
done:
    parley_scenario_free(s);
    parley_error_free(err);
    cli_args_free(&a);
    return rc;
}
