/* cmd_archive.c - parley archive list|show|diff|trend: the run archive read back (it records nothing). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: parley archive list                [--archive DB] [--format text|json] [-o OUT]\n"
    "       parley archive show ID             [--archive DB] [--format text|json] [-o OUT]\n"
    "       parley archive diff A B            [--archive DB] [--format text|json] [-o OUT]\n"
    "       parley archive trend SCENARIO-NAME [--archive DB] [--format text|json|svg] [-o OUT]\n\n"
    "Reads the run archive that forecast, compare, montecarlo, sensitivity, backtest, report, advise and\n"
    "brief write to when given --archive DB (or PARLEY_ARCHIVE=DB): an SQLite file holding each run's date,\n"
    "command, scenario (once per distinct content), options, seed, parley version and forecasts\n"
    "(docs/archive.md).\n\n"
    "  list           every run, oldest first: id, date, command, seed, the scenario's SHA-256 and name\n"
    "  show ID        one run: its inputs and every forecast (base case, variants, Monte Carlo)\n"
    "  diff A B       which inputs changed from run A to run B (options, seed, version; every actor,\n"
    "                 issue and stance number of the scenario) and how each forecast moved\n"
    "  trend NAME     each issue's headline forecast (the ensemble's when it ran, else the first model's)\n"
    "                 over the dates of every run of the scenario NAME; --format svg (or -o FILE.svg) draws it\n\n"
    "  --archive DB   the archive (default: PARLEY_ARCHIVE); it must exist\n"
    "  --format F     text (default), json, or svg for trend\n"
    "  -o OUT         write to OUT (atomically) instead of standard output\n";

/* Options of these subcommands that take a value: their value is not a positional argument. */
static bool takes_value(const char *arg)
{
    static const char *const names[] = {"--archive", "-archive", "--format", "-format", "-o", "--o"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(arg, names[i])) return true;
    return false;
}

static int parse_id(const char *s, int64_t *id)
{
    if (!cli_all_digits(s) || strlen(s) > 18) {
        fprintf(stderr, "parley archive: expected a run id (a whole number; parley archive list shows them), found \"%s\"\n", s);
        return EXIT_USAGE;
    }
    *id = strtoll(s, NULL, 10);
    return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

int cmd_archive(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    const char *sub = argv[1];
    size_t want = !strcmp(sub, "list") ? 0 : !strcmp(sub, "show") || !strcmp(sub, "trend") ? 1 : !strcmp(sub, "diff") ? 2 : 9;
    if (want == 9) {
        fprintf(stderr, "parley archive: unknown subcommand \"%s\"; expected list, show, diff or trend (see parley archive --help)\n",
                sub);
        return EXIT_USAGE;
    }
    /* The positional arguments are taken out here, the options left to cli_parse. */
    char cmdname[32];
    snprintf(cmdname, sizeof cmdname, "archive %s", sub);
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    const char *pos[2] = {NULL, NULL};
    size_t npos = 0;
    int nrest = 1;
    if (!rest) return 1;
    rest[0] = cmdname;
    for (int i = 2; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1]) {
            rest[nrest++] = argv[i];
            if (takes_value(argv[i]) && i + 1 < argc) rest[nrest++] = argv[++i];
        } else if (npos < want) {
            pos[npos++] = argv[i];
        } else {
            fprintf(stderr, "parley %s: unexpected argument \"%s\" (see parley archive --help)\n", cmdname, argv[i]);
            free(rest);
            return EXIT_USAGE;
        }
    }
    cli_args a;
    int rc = cli_start(nrest, rest, "archive,format,o,quiet,help", help, &a);
    free(rest);
    if (rc >= 0) return rc;
    parley_error *err = parley_error_new();
    parley_archive *arc = NULL;
    if (!err) return 1;
    if (npos < want) {
        static const char *const what[] = {"", "a run id", "two run ids"};
        fprintf(stderr, "parley %s: expected %s%s (see parley archive --help)\n", cmdname,
                !strcmp(sub, "trend") ? "a scenario name" : what[want], !strcmp(sub, "trend") ? " (parley archive list shows them)" : "");
        rc = EXIT_USAGE;
        goto done;
    }
    if (!a.archive) {
        fprintf(stderr, "parley %s: which archive? give --archive DB or set PARLEY_ARCHIVE\n", cmdname);
        rc = EXIT_USAGE;
        goto done;
    }
    int64_t x = 0, y = 0;
    if (!strcmp(sub, "show") || !strcmp(sub, "diff")) {
        if ((rc = parse_id(pos[0], &x)) || (want == 2 && (rc = parse_id(pos[1], &y)))) goto done;
    }
    parley_status st = parley_archive_open(a.archive, 0, 0, &arc, err);
    if (st != PARLEY_OK) {
        rc = cli_failed(err, st);
        goto done;
    }
    const char *format = a.format ? a.format : a.output && ends_with(a.output, ".svg") && !strcmp(sub, "trend") ? "svg" : "text";
    char *text = !strcmp(sub, "list")   ? parley_archive_list(arc, format, err)
                 : !strcmp(sub, "show") ? parley_archive_show(arc, x, format, err)
                 : !strcmp(sub, "diff") ? parley_archive_diff(arc, x, y, format, err)
                                        : parley_archive_trend(arc, pos[0], format, err);
    rc = cli_output(&a, text, err);
done:
    parley_archive_close(arc);
    parley_error_free(err);
    cli_args_free(&a);
    return rc;
}
