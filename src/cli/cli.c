/* cli.c - argument scanning and the steps every command shares. */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool accepts(const char *accepted, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = accepted; (p = strstr(p, name)); p += n)
        if ((p == accepted || p[-1] == ',') && (p[n] == ',' || p[n] == '\0')) return true;
    return false;
}

bool cli_all_digits(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s);
}

static char *join(char *a, const char *b)
{
    if (!a) return strdup(b);
    size_t la = strlen(a), lb = strlen(b);
    char *r = realloc(a, la + lb + 2);
    if (!r) return a;
    r[la] = ',';
    memcpy(r + la + 1, b, lb + 1);
    return r;
}

static bool ends_xml(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && !strcasecmp(path + n - 4, ".xml");
}

int cli_parse(int argc, char **argv, const char *accepted, cli_args *a)
{
    memset(a, 0, sizeof *a);
    a->seed = 1;
    static const char *const known[] = {"model", "format", "from", "to", "salience-scale", "capabilities", "seed",
                                        "quiet", "help", "o", "draws", "threads", "threshold", "chart", "issue",
                                        "port", "bind", "allow-remote", "allow-host", "outcomes", "detail", "archive"};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (arg[0] != '-' || !strcmp(arg, "-")) {
            /* Several inputs are one GENIUS negotiation: the domain and its profiles, all XML. */
            if (a->input && ends_xml(a->input) && ends_xml(arg)) {
                if (a->n_more_inputs == sizeof a->more_inputs / sizeof *a->more_inputs) {
                    fprintf(stderr, "parley %s: at most %zu profiles after the domain\n", argv[0], a->n_more_inputs);
                    return EXIT_USAGE;
                }
                a->more_inputs[a->n_more_inputs++] = arg;
                continue;
            }
            if (a->input) {
                fprintf(stderr, "parley %s: expected one input file, found a second: %s\n", argv[0], arg);
                return EXIT_USAGE;
            }
            a->input = arg;
            continue;
        }
        const char *name = arg + (arg[1] == '-' ? 2 : 1);
        char namebuf[64];
        const char *val = NULL;
        const char *eq = strchr(name, '=');
        if (eq) {
            snprintf(namebuf, sizeof namebuf, "%.*s", (int)(eq - name), name);
            name = namebuf;
            val = eq + 1;
        }
        if (!strcmp(name, "h")) name = "help";
        if (!strcmp(name, "q")) name = "quiet";
        if (!strcmp(name, "m")) name = "model";
        /* Every command that reads a scenario may read a GENIUS one, so --real-grid goes with any. */
        if (!accepts(accepted, name) && strcmp(name, "real-grid")) {
            const char *hint = NULL;
            for (size_t k = 0; k < sizeof known / sizeof *known && !hint; k++)
                if (accepts(accepted, known[k]) && strlen(name) > 2 && strncmp(known[k], name, 3) == 0) hint = known[k];
            fprintf(stderr, "parley %s: unknown option %s%s%s%s (see parley %s --help)\n", argv[0], arg,
                    hint ? "; did you mean --" : "", hint ? hint : "", hint ? "?" : "", argv[0]);
            return EXIT_USAGE;
        }
        if (!strcmp(name, "help")) {
            a->help = true;
            continue;
        }
        if (!strcmp(name, "quiet")) {
            a->quiet = true;
            continue;
        }
        if (!strcmp(name, "allow-remote")) {
            a->allow_remote = true;
            continue;
        }
        if (!val) {
            if (i + 1 >= argc) {
                fprintf(stderr, "parley %s: option %s expects a value\n", argv[0], arg);
                return EXIT_USAGE;
            }
            val = argv[++i];
        }
        if (!strcmp(name, "real-grid")) {
            char *end;
            errno = 0;
            unsigned long long n = strtoull(val, &end, 10);
            if (errno || *end || !cli_all_digits(val) || n < 2 || n > 1000000) {
                fprintf(stderr, "parley %s: --real-grid expects a whole number of points from 2 to 1000000, found \"%s\"\n", argv[0], val);
                return EXIT_USAGE;
            }
            a->real_grid = (size_t)n;
        } else if (!strcmp(name, "model")) a->models = join(a->models, val);
        else if (!strcmp(name, "format") || !strcmp(name, "to")) a->format = val;
        else if (!strcmp(name, "from")) a->from = val;
        else if (!strcmp(name, "salience-scale")) a->salience = val;
        else if (!strcmp(name, "capabilities")) a->capabilities = val;
        else if (!strcmp(name, "outcomes")) a->outcomes = val;
        else if (!strcmp(name, "archive")) a->archive = val;
        else if (!strcmp(name, "o")) a->output = val;
        else if (!strcmp(name, "chart")) a->chart = val;
        else if (!strcmp(name, "issue")) a->issue = val;
        else if (!strcmp(name, "detail")) {
            if (parley_detail_parse(val, &a->detail, NULL) != PARLEY_OK) {
                fprintf(stderr, "parley %s: --detail expects summary, normal or full, found \"%s\"\n", argv[0], val);
                return EXIT_USAGE;
            }
        }
        else if (!strcmp(name, "port")) a->port = val;
        else if (!strcmp(name, "bind")) a->bind = val;
        else if (!strcmp(name, "allow-host")) {
            if (a->n_allow_hosts == sizeof a->allow_hosts / sizeof *a->allow_hosts) {
                fprintf(stderr, "parley %s: at most %zu --allow-host names\n", argv[0], sizeof a->allow_hosts / sizeof *a->allow_hosts);
                return EXIT_USAGE;
            }
            a->allow_hosts[a->n_allow_hosts++] = val;
        } else if (!strcmp(name, "threshold")) {
            if (a->n_thresholds == sizeof a->thresholds / sizeof *a->thresholds) {
                fprintf(stderr, "parley %s: at most %zu --threshold statements\n", argv[0], sizeof a->thresholds / sizeof *a->thresholds);
                return EXIT_USAGE;
            }
            a->thresholds[a->n_thresholds++] = val;
        } else if (!strcmp(name, "draws") || !strcmp(name, "threads")) {
            char *end;
            errno = 0;
            unsigned long long n = strtoull(val, &end, 10);
            unsigned long long max = !strcmp(name, "draws") ? PARLEY_MAX_DRAWS : 64;
            if (errno || *end || !cli_all_digits(val) || n < 1 || n > max) {
                fprintf(stderr, "parley %s: --%s expects a whole number from 1 to %llu, found \"%s\"\n", argv[0], name, max, val);
                return EXIT_USAGE;
            }
            if (!strcmp(name, "draws")) a->draws = (size_t)n;
            else a->threads = (size_t)n;
        }
        else if (!strcmp(name, "seed")) {
            char *end;
            errno = 0;
            unsigned long long s = strtoull(val, &end, 10);
            if (errno || *end || !cli_all_digits(val)) {
                fprintf(stderr, "parley %s: --seed expects a whole number from 0 to 18446744073709551615, found \"%s\"\n",
                        argv[0], val);
                return EXIT_USAGE;
            }
            a->seed = s;
        }
    }
    if (!a->archive && accepts(accepted, "archive")) {
        const char *env = getenv("PARLEY_ARCHIVE");
        if (env && *env) a->archive = env;
    }
    return 0;
}

/* The archive of this command's run: opened by cli_read before anything runs (a bad or locked file stops
 * the command at once), written by cli_archive, closed by cli_args_free. */
static parley_archive *cli_arc;

void cli_args_free(cli_args *a)
{
    free(a->models);
    a->models = NULL;
    parley_archive_close(cli_arc);
    cli_arc = NULL;
}

char *cli_archive_trend(const parley_scenario *s, char *html, parley_error *err)
{
    return cli_arc && html ? parley_archive_add_trend(cli_arc, s, html, err) : html;
}

int cli_archive(const cli_args *a, const char *command, const parley_scenario *s, const parley_result *r,
                const parley_result *const *vr, size_t nv, const parley_mc *mc)
{
    if (!cli_arc) return 0;
    char draws[32] = "", thresholds[1024] = "";
    if (mc && parley_mc_input_count(mc)) snprintf(draws, sizeof draws, "%zu", parley_mc_completed(mc));
    for (size_t i = 0; i < a->n_thresholds; i++) {
        size_t len = strlen(thresholds);
        snprintf(thresholds + len, sizeof thresholds - len, "%s%s", i ? "; " : "", a->thresholds[i]);
    }
    const char *names[] = {"models", "draws", "threshold", "from", "salience-scale", "outcomes", "capabilities", "cv"};
    const char *values[] = {a->models, *draws ? draws : NULL, *thresholds ? thresholds : NULL, a->from, a->salience,
                            a->outcomes, a->capabilities, a->cv};
    parley_archive_entry e = {command, s, NULL, names, values, sizeof names / sizeof *names, a->seed, r, vr, nv, mc};
    parley_error *err = parley_error_new();
    parley_status st = err ? parley_archive_record(cli_arc, &e, NULL, err) : PARLEY_E_NOMEM;
    if (st != PARLEY_OK) {
        fprintf(stderr, "parley %s: the run was not archived:\n", command);
        cli_print_diags(err, false);
    }
    parley_error_free(err);
    return parley_status_exit_code(st);
}

void cli_print_diags(const parley_error *err, bool quiet)
{
    char small[1024];
    for (size_t i = 0; i < parley_error_count(err); i++) {
        const parley_diag *d = parley_error_at(err, i);
        if (quiet && d->severity != PARLEY_SEVERITY_ERROR) continue;
        /* a message naming long ids is printed whole: measured first, then formatted into a buffer that fits */
        int n = parley_diag_format(d, small, sizeof small);
        char *line = n >= (int)sizeof small ? malloc((size_t)n + 1) : NULL;
        if (line) parley_diag_format(d, line, (size_t)n + 1);
        fprintf(stderr, "%s\n", line ? line : small);
        free(line);
    }
}

int cli_failed(const parley_error *err, parley_status fallback)
{
    if (cli_interrupted) return 130; /* the failure is the cancel: cli_interrupt_exit says so, in one line */
    cli_print_diags(err, false);
    parley_status st = parley_error_status(err);
    return parley_status_exit_code(st != PARLEY_OK ? st : fallback);
}

parley_status cli_uncertainty(const cli_args *a, const parley_scenario *s, const parley_plan *plan, size_t default_draws,
                              bool swings, bool skip_certain, parley_mc **mc, double **lo, double **hi, parley_error *err)
{
    *mc = parley_mc_new(s, plan, a->draws ? a->draws : default_draws, a->seed, err);
    if (!*mc) return parley_error_status(err) != PARLEY_OK ? parley_error_status(err) : PARLEY_E_NOMEM;
    cli_print_diags(err, a->quiet); /* the base run's notes and warnings */
    parley_error_clear(err);
    if (skip_certain && parley_mc_input_count(*mc) == 0) return PARLEY_OK;
    parley_mc_options o = {a->threads, NULL, NULL, &cli_interrupted};
    parley_status st = parley_mc_run(*mc, 0, 1, &o, err);
    if (st == PARLEY_OK && cli_interrupted) return PARLEY_E_CANCELLED; /* the draws so far are not a sample */
    if (st != PARLEY_OK || !swings) return st;
    size_t cells = parley_mc_input_count(*mc) * parley_mc_output_count(*mc);
    *lo = malloc((cells ? cells : 1) * sizeof **lo), *hi = malloc((cells ? cells : 1) * sizeof **hi);
    return *lo && *hi ? parley_mc_swings_with(*mc, *lo, *hi, &o, err) : PARLEY_E_NOMEM;
}

volatile int cli_interrupted;

static void on_interrupt(int sig)
{
    (void)sig;
    cli_interrupted = 1; /* all a handler may safely do: the runs poll the flag */
}

void cli_catch_interrupt(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sa.sa_flags = SA_RESETHAND; /* a second Ctrl-C is not caught */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
}

int cli_interrupt_exit(const char *cmd, int rc)
{
    if (!cli_interrupted) return rc;
    fprintf(stderr, "parley %s: interrupted\n", cmd);
    return 130;
}

parley_result *cli_run(const cli_args *a, const parley_scenario *s, const parley_plan *plan, parley_error *err)
{
    /* --detail full: every per-pair record, the whole pressure map; otherwise the bounded one. */
    parley_run_options o = {a->detail == PARLEY_DETAIL_FULL ? PARLEY_RUN_FULL_DETAIL : 0u, a->threads, &cli_interrupted};
    parley_result *r = NULL;
    parley_run_with(s, plan, a->seed, &o, &r, err);
    return r;
}

parley_status cli_run_variants(const cli_args *a, const parley_scenario *s, const parley_plan *plan, size_t n,
                               parley_scenario ***vs, parley_result ***vr, parley_error *err)
{
    *vs = calloc(n ? n : 1, sizeof **vs), *vr = calloc(n ? n : 1, sizeof **vr);
    if (!*vs || !*vr) return PARLEY_E_NOMEM;
    parley_status st = PARLEY_OK;
    for (size_t v = 0; v < n && st == PARLEY_OK; v++) {
        st = parley_scenario_variant(s, v, &(*vs)[v], err);
        if (st == PARLEY_OK && !((*vr)[v] = cli_run(a, (*vs)[v], plan, err)))
            st = parley_error_status(err) ? parley_error_status(err) : PARLEY_E_MODEL;
    }
    return st;
}

void cli_variants_free(parley_scenario **vs, parley_result **vr, size_t n)
{
    for (size_t v = 0; vs && v < n; v++) parley_scenario_free(vs[v]);
    for (size_t v = 0; vr && v < n; v++) parley_result_free(vr[v]);
    free(vs), free(vr);
}

int cli_read(const cli_args *a, parley_error *err, parley_scenario **out)
{
    if (!a->input) {
        fprintf(stderr, "parley: expected an input file (or - for standard input)\n");
        return EXIT_USAGE;
    }
    if (a->archive && !cli_arc) {
        parley_status st = parley_archive_open(a->archive, PARLEY_ARCHIVE_CREATE, 0, &cli_arc, err);
        if (st != PARLEY_OK) {
            cli_print_diags(err, false);
            parley_error_clear(err);
            return parley_status_exit_code(st);
        }
    }
    parley_read_options o = {a->from, a->salience};
    const char *paths[1 + sizeof a->more_inputs / sizeof *a->more_inputs];
    paths[0] = a->input;
    for (size_t i = 0; i < a->n_more_inputs; i++) paths[i + 1] = a->more_inputs[i];
    parley_status st = parley_read_files(paths, 1 + a->n_more_inputs, &o, a->real_grid, out, err);
    cli_print_diags(err, a->quiet);
    parley_error_clear(err);
    return parley_status_exit_code(st);
}

static int plan_from(const cli_args *a, const parley_scenario *s, parley_error *err, parley_plan **out,
                     parley_plan *(*fallback)(const parley_scenario *))
{
    *out = NULL;
    const char *spec = a->models ? a->models : parley_scenario_models(s);
    parley_status st = PARLEY_OK;
    /* A scenario file may come from anyone: the models it names may not make parley read other files. */
    if (spec) st = parley_plan_parse_with(out, spec, a->models ? 0 : PARLEY_PLAN_NO_FILES, err);
    else if (!(*out = fallback(s))) st = PARLEY_E_NOMEM;
    /* Only option issues empty the default plan (every scale model refuses them): say why, not nothing. */
    if (st == PARLEY_OK && !spec && parley_plan_count(*out) == 0 && parley_model_count()) {
        const parley_model *first = parley_model_at(0);
        const char *why = parley_model_unsuited(first, s);
        fprintf(stderr, "parley: no model of the default plan suits this scenario (%s, the first, says: %s)\n",
                parley_model_name(first), why ? why : "it does not suit");
        parley_plan_free(*out);
        *out = NULL;
        return EXIT_USAGE;
    }
    if (st != PARLEY_OK) {
        cli_print_diags(err, false);
        parley_plan_free(*out);
        *out = NULL;
        return parley_status_exit_code(st == PARLEY_E_NOMEM ? PARLEY_E_NOMEM : PARLEY_E_USAGE);
    }
    return 0;
}

int cli_plan(const cli_args *a, const parley_scenario *s, parley_error *err, parley_plan **out)
{
    return plan_from(a, s, err, out, parley_plan_default);
}

int cli_plan_backtest(const cli_args *a, const parley_scenario *s, parley_error *err, parley_plan **out)
{
    return plan_from(a, s, err, out, parley_plan_default_backtest);
}

int cli_start(int argc, char **argv, const char *accepted, const char *help, cli_args *a)
{
    int rc = cli_parse(argc, argv, accepted, a);
    if (rc == 0 && !a->help) return -1;
    if (rc == 0) fputs(help, stdout);
    cli_args_free(a);
    return rc;
}

int cli_output(const cli_args *a, char *text, parley_error *err)
{
    const char *inputs[3 + sizeof a->more_inputs / sizeof *a->more_inputs] = {a->input, a->capabilities, a->outcomes};
    for (size_t i = 0; i < a->n_more_inputs; i++) inputs[3 + i] = a->more_inputs[i];
    parley_write_options o = {inputs, 3 + a->n_more_inputs};
    parley_status st = text ? parley_write_file_to(a->output ? a->output : "-", text, strlen(text), &o, err)
                            : parley_error_status(err);
    if (!text && st == PARLEY_OK) st = PARLEY_E_INTERNAL; /* a failure that said nothing: a bug */
    if (st != PARLEY_OK) cli_print_diags(err, false);
    free(text);
    return parley_status_exit_code(st);
}
