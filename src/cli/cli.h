/* cli.h - what the parley commands share: argument scanning, reading input, printing diagnostics. */
#ifndef PARLEY_CLI_H
#define PARLEY_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "parley/parley.h"

#define EXIT_USAGE 2

/* A scanned command line: one positional input, and options. */
typedef struct cli_args {
    const char *input;
    /* A GENIUS negotiation's profiles after its domain (input): further *.xml inputs. */
    const char *more_inputs[1000];
    size_t n_more_inputs;
    size_t real_grid;       /* --real-grid: points of a GENIUS real issue (0: 31) */
    const char *output;     /* -o */
    const char *format;     /* --format / --to */
    const char *from;       /* --from */
    const char *salience;   /* --salience-scale */
    const char *capabilities;
    const char *outcomes;   /* backtest --outcomes */
    const char *archive;    /* --archive FILE.db, else PARLEY_ARCHIVE for a command that accepts "archive" */
    const char *cv;         /* backtest --cv, set by the command (recorded in the archive) */
    char *models;           /* --model, repeated ones joined with ',' (malloc'd) */
    uint64_t seed;
    size_t draws;           /* --draws (0: the command's default) */
    size_t threads;         /* --threads (0: PARLEY_THREADS, else one per core) */
    const char *thresholds[32]; /* --threshold, repeatable */
    size_t n_thresholds;
    const char *chart;      /* --chart */
    const char *issue;      /* --issue */
    const char *port, *bind; /* serve */
    const char *allow_hosts[16]; /* serve --allow-host, repeatable */
    size_t n_allow_hosts;
    parley_detail detail;   /* --detail summary|normal|full (default normal); parsed for every command that
                             * accepts "detail", so a command only passes it on (parley_report_options) */
    bool allow_remote;
    bool quiet;
    bool help;
} cli_args;

/* Whether s is a non-empty run of decimal digits: strtoull alone takes " 5", "+5" and "-1" (as 2^64-1),
 * so every count, seed and PARLEY_THREADS is checked with this first. */
bool cli_all_digits(const char *s);

/* The options a command accepts, as a string of names ("model,format,from"). */
int cli_parse(int argc, char **argv, const char *accepted, cli_args *a);
void cli_args_free(cli_args *a);

/* Prints every diagnostic in err to stderr (notes and warnings only when !quiet). */
void cli_print_diags(const parley_error *err, bool quiet);

/* Prints every diagnostic of a failed step and returns its exit code: the first error's status, else
 * fallback. */
int cli_failed(const parley_error *err, parley_status fallback);

/* Prepares the Monte Carlo run of s under plan (--draws, default default_draws; --seed; --threads):
 * prints the base run's notes, runs the draws and, when swings is set, the one-at-a-time swings into *lo
 * and *hi (malloc'd). A scenario without ranges gets no draws when skip_certain is set. Returns the
 * status; *mc (and *lo, *hi) belong to the caller either way. */
parley_status cli_uncertainty(const cli_args *a, const parley_scenario *s, const parley_plan *plan, size_t default_draws,
                              bool swings, bool skip_certain, parley_mc **mc, double **lo, double **hi, parley_error *err);

/* Ctrl-C: set by the SIGINT handler cli_catch_interrupt installs, and the cancel flag of every run the
 * command makes through cli_run and cli_uncertainty. */
extern volatile int cli_interrupted;
/* Installs the handler: the first Ctrl-C only sets cli_interrupted (the run stops at its next round and
 * frees what it made); a second one kills the process as usual. */
void cli_catch_interrupt(void);
/* Returns 130 after printing "parley CMD: interrupted" when Ctrl-C was pressed, else rc. */
int cli_interrupt_exit(const char *cmd, int rc);
/* Runs plan on s with --seed and --threads, cancelled by Ctrl-C; NULL with err filled on failure. */
parley_result *cli_run(const cli_args *a, const parley_scenario *s, const parley_plan *plan, parley_error *err);
/* Makes s's first n variants and runs plan on each with cli_run, stopping at the first failure (its status:
 * the error's, else PARLEY_E_MODEL; PARLEY_E_NOMEM when the arrays cannot be made). *vs and *vr get n
 * entries each (NULL where not made); free them with cli_variants_free whatever the status. */
parley_status cli_run_variants(const cli_args *a, const parley_scenario *s, const parley_plan *plan, size_t n,
                               parley_scenario ***vs, parley_result ***vr, parley_error *err);
void cli_variants_free(parley_scenario **vs, parley_result **vr, size_t n);

/* Reads a.input (and a GENIUS negotiation's further inputs, or a folder) with the read options; prints
 * diagnostics. Returns the exit code (0 on success). */
int cli_read(const cli_args *a, parley_error *err, parley_scenario **out);

/* Builds the plan from --model, else the scenario's "models", else the defaults. Returns an exit code. */
int cli_plan(const cli_args *a, const parley_scenario *s, parley_error *err, parley_plan **out);
/* The same for a backtest, whose default also scores round-based models' final means. */
int cli_plan_backtest(const cli_args *a, const parley_scenario *s, parley_error *err, parley_plan **out);

/* Scans the command line and prints help when asked. Returns -1 when the command should go on, else
 * the exit code the command should return at once. */
int cli_start(int argc, char **argv, const char *accepted, const char *help, cli_args *a);

/* Writes text to -o (atomically) or stdout and frees it; NULL text means the step that made it failed,
 * as err says. Returns the exit code. */
int cli_output(const cli_args *a, char *text, parley_error *err);

/* Records a finished run in the archive cli_read opened (--archive or PARLEY_ARCHIVE; nothing when
 * neither): the scenario as run, the options that shape results, the seed, the base result r (NULL when
 * mc holds it), nv variant results and the Monte Carlo draws mc (may be NULL). Prints nothing on
 * success; returns 0, or the exit code after printing why the run was not recorded. */
int cli_archive(const cli_args *a, const char *command, const parley_scenario *s, const parley_result *r,
                const parley_result *const *vr, size_t nv, const parley_mc *mc);

/* Returns the HTML report html of s with the trend of its archived runs added (parley_archive_add_trend)
 * when an archive is open, else html as it is; NULL (err filled) on failure, as cli_output expects. */
char *cli_archive_trend(const parley_scenario *s, char *html, parley_error *err);

int cmd_forecast(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_models(int argc, char **argv);
int cmd_backtest(int argc, char **argv);
int cmd_fit(int argc, char **argv);
int cmd_montecarlo(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_sensitivity(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_advise(int argc, char **argv);
int cmd_brief(int argc, char **argv);
int cmd_archive(int argc, char **argv);
int cmd_analyze(int argc, char **argv);

#endif
