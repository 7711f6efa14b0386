/* main.c - the parley command: dispatches to one file per command. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} commands[] = {
    {"forecast", cmd_forecast, "run models on a scenario and print the forecast"},
    {"validate", cmd_validate, "check a scenario file and report every fault"},
    {"convert", cmd_convert, "convert a scenario between formats (json, csv)"},
    {"models", cmd_models, "list the models, their presets and options"},
    {"backtest", cmd_backtest, "score models against decisions with known outcomes"},
    {"fit", cmd_fit, "refit the ensemble's parameters on decisions with known outcomes"},
    {"plot", cmd_plot, "one chart as SVG: positions, forecast, trajectories, pressure, exchanges, distribution, tornado"},
    {"report", cmd_report, "a self-contained HTML report: scenario, forecasts, charts, uncertainty, variants"},
    {"serve", cmd_serve, "a local web UI for live what-if analysis, and a JSON API"},
    {"compare", cmd_compare, "the base case and every variant the scenario declares, side by side"},
    {"sensitivity", cmd_sensitivity, "which uncertain inputs move each forecast: swings and global effects"},
    {"montecarlo", cmd_montecarlo, "forecasts under uncertainty: the spread of every model's forecast"},
    {"advise", cmd_advise, "what one actor can do to move the forecast its way, measured by rerunning the models"},
    {"brief", cmd_brief, "the answer on two pages: glance table, a chart per issue, what moves it, variants (HTML or PDF)"},
    {"archive", cmd_archive, "the run archive: list, show, diff runs and chart a scenario's trend"},
    {"analyze", cmd_analyze, "the outcome space: zone of agreement, Pareto frontier, Nash and Kalai-Smorodinsky points"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: parley COMMAND [options]\n\n"
               "Forecasts how multi-party negotiations end.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n`parley COMMAND --help` describes a command; `parley --version` prints the version.\n"
               "Exit status: 0 success, 2 bad input or usage, 1 any other failure.\n");
}

/* A command that printed to standard output succeeded only if the text got there: a full disk or a closed
 * pipe must not exit 0 (printf's errors are sticky, so one check at the end sees them all). */
static int stdout_checked(int rc)
{
    if (fflush(stdout) == 0 && !ferror(stdout)) return rc;
    if (rc) return rc; /* the command has said what went wrong */
    fprintf(stderr, "parley: write error on standard output: %s\n", strerror(errno));
    return 1;
}

/* PARLEY_THREADS reaches every command (and the library reads it deep inside the models), so it is checked
 * once here: a value the library cannot use is an error, not a silent fallback to one thread per core. */
static bool threads_env_ok(void)
{
    const char *env = getenv("PARLEY_THREADS");
    if (!env) return true;
    unsigned long n = cli_all_digits(env) && strlen(env) <= 2 ? strtoul(env, NULL, 10) : 0;
    if (n >= 1 && n <= 64) return true;
    fprintf(stderr, "parley: PARLEY_THREADS: expected a whole number from 1 to 64, found \"%s\"\n", env);
    return false;
}

int main(int argc, char **argv)
{
    if (!threads_env_ok()) return EXIT_USAGE;
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("parley %s (output schema %d)\n", parley_version(), PARLEY_SCHEMA_VERSION);
        return stdout_checked(0);
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return stdout_checked(0);
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(argv[1], commands[i].name)) return stdout_checked(commands[i].fn(argc - 1, argv + 1));
    fprintf(stderr, "parley: unknown command \"%s\"\n\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
