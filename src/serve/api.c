/* api.c - the JSON API's endpoints: read the scenario a request carries, check its sizes against the
 * server's bounds, run what it asks, and answer exactly what the CLI prints for the same run. */
#include "api.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/jsonw.h"
#include "../core/util.h"
#include "budget.h"

static const char *const forecast_keys[] = {"model", "seed", "detail", NULL};
static const char *const validate_keys[] = {NULL};
static const char *const montecarlo_keys[] = {"model", "seed", "draws", "threshold", NULL};
static const char *const plot_keys[] = {"model", "seed", "chart", "issue", "detail", NULL};
static const char *const endpoint_names[EP_COUNT] = {"forecast", "validate", "montecarlo", "compare", "plot"};

serve_endpoint serve_endpoint_find(const char *name)
{
    for (int e = 0; e < EP_COUNT; e++)
        if (!strcmp(name, endpoint_names[e])) return (serve_endpoint)e;
    return EP_COUNT;
}

const char *const *serve_endpoint_keys(serve_endpoint ep)
{
    switch (ep) {
    case EP_VALIDATE: return validate_keys;
    case EP_MONTECARLO: return montecarlo_keys;
    case EP_PLOT: return plot_keys;
    default: return forecast_keys; /* forecast and compare */
    }
}

/* Appends text as the inside of a JSON string. */
static void json_text(pu_buf *b, const char *text)
{
    for (const char *p = text; *p; p++) {
        if (*p == '"' || *p == '\\') pu_buf_printf(b, "\\%c", *p);
        else if ((unsigned char)*p < 0x20) pu_buf_printf(b, "\\u%04x", *p);
        else pu_buf_append(b, p, 1);
    }
}

/* Appends err's diagnostics as a JSON list of "file:line:column: severity: field: message" strings. */
static void json_diags(pu_buf *b, const parley_error *err)
{
    pu_buf_puts(b, "[");
    for (size_t i = 0; err && i < parley_error_count(err); i++) {
        char line[2048];
        parley_diag_format(parley_error_at(err, i), line, sizeof line);
        pu_buf_puts(b, i ? ", \"" : "\"");
        json_text(b, line);
        pu_buf_puts(b, "\"");
    }
    pu_buf_puts(b, "]");
}

/* Sets a's body to text (taken), or to a fixed error when text is NULL (out of memory). */
static void answer(serve_answer *a, unsigned status, const char *type, char *text)
{
    static const char oom[] = "{\"error\": \"out of memory\", \"diagnostics\": []}\n";
    if (!text) {
        status = 503, type = "application/json";
        text = malloc(sizeof oom);
        if (text) memcpy(text, oom, sizeof oom);
    }
    a->status = status;
    snprintf(a->type, sizeof a->type, "%s", type);
    a->body = text;
    a->len = text ? strlen(text) : 0;
}

void serve_error(serve_answer *a, unsigned status, const char *message, const parley_error *err)
{
    pu_buf b = {0};
    pu_buf_puts(&b, "{\"error\": \"");
    json_text(&b, message);
    pu_buf_puts(&b, "\", \"diagnostics\": ");
    json_diags(&b, err);
    pu_buf_puts(&b, "}\n");
    answer(a, status, "application/json", pu_buf_take(&b));
}

/* Reads a file in another format from the JSON envelope {"format": "csv", "salience_scale": "auto",
 * "files": [{"name": "x.csv", "data": "..."}]} (format and salience_scale optional). Returns 0 when the
 * body is no envelope (the caller reads it as a native scenario), 1 when it read one (*out set), -1 on a
 * fault (a filled). */
static int read_envelope(const serve_job *job, parley_scenario **out, parley_error *err, serve_answer *a)
{
    json_t *root = json_loadb(job->body, job->len, 0, NULL);
    if (!json_is_object(root) || !json_object_get(root, "files")) {
        json_decref(root);
        return 0;
    }
    const char *key, *bad = NULL;
    json_t *v;
    json_object_foreach(root, key, v) if (strcmp(key, "format") && strcmp(key, "salience_scale") && strcmp(key, "files")) bad = key;
    json_t *files = json_object_get(root, "files"), *fmt = json_object_get(root, "format"), *scale = json_object_get(root, "salience_scale");
    json_t *file = json_array_get(files, 0), *name = json_object_get(file, "name"), *data = json_object_get(file, "data");
    char message[256];
    int rc = -1;
    if (bad) snprintf(message, sizeof message, "request body: unknown key \"%.100s\"; expected format, salience_scale or files", bad);
    else if (!json_is_array(files) || json_array_size(files) != 1)
        snprintf(message, sizeof message, "request body: files: expected a list of one {\"name\", \"data\"}");
    else if (!json_is_object(file) || json_object_size(file) != 2 || !json_is_string(name) || !json_is_string(data))
        snprintf(message, sizeof message, "request body: files[0]: expected {\"name\": string, \"data\": string}");
    else if ((fmt && !json_is_string(fmt)) || (scale && !json_is_string(scale)))
        snprintf(message, sizeof message, "request body: format and salience_scale must be strings");
    else {
        parley_read_options o = {fmt ? json_string_value(fmt) : NULL, scale ? json_string_value(scale) : NULL};
        if (parley_read_buffer(json_string_value(data), json_string_length(data), json_string_value(name), &o, out, err) == PARLEY_OK)
            rc = 1;
        else snprintf(message, sizeof message, "the scenario is not valid");
    }
    if (rc < 0) serve_error(a, 400, message, err);
    json_decref(root);
    return rc;
}

/* Writes the words of a '|'-separated list as a JSON list. */
static void json_words(jw *w, const char *list)
{
    jw_arr_inline(w);
    for (const char *p = list; p && *p;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        char word[128];
        snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word ? n : sizeof word - 1), p);
        jw_str(w, word);
        p = bar ? bar + 1 : NULL;
    }
    jw_arr_end(w);
}

char *serve_models_json(const parley_scenario *s)
{
    static const char *const types[] = {"number", "integer", "choice", "boolean", "file", "choices"};
    jw w = {0};
    jw_obj(&w);
    jw_key(&w, "models");
    jw_arr(&w);
    for (size_t i = 0; i < parley_model_count(); i++) {
        const parley_model *m = parley_model_at(i);
        jw_obj(&w);
        jw_kstr(&w, "name", parley_model_name(m));
        jw_kstr(&w, "summary", parley_model_summary(m));
        jw_kstr(&w, "scope", parley_scope_name(parley_model_scope(m)));
        jw_key(&w, "records");
        jw_arr_inline(&w);
        for (unsigned bit = 1; bit & PARLEY_RECORDS_ALL; bit <<= 1)
            if (parley_model_records(m) & bit) jw_str(&w, parley_record_name(bit));
        jw_arr_end(&w);
        if (s) jw_kbool(&w, "suits", parley_model_suits(m, s));
        jw_key(&w, "presets");
        jw_arr(&w);
        for (size_t j = 0; j < parley_model_preset_count(m); j++) {
            const parley_preset *ps = parley_model_preset(m, j);
            jw_obj(&w);
            jw_kstr(&w, "name", ps->name);
            jw_kstr(&w, "options", ps->options);
            jw_kstr(&w, "help", ps->help);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_key(&w, "options");
        jw_arr(&w);
        for (size_t j = 0; j < parley_model_option_count(m); j++) {
            const parley_option_spec *o = parley_model_option(m, j);
            jw_obj(&w);
            jw_kstr(&w, "name", o->name);
            jw_kstr(&w, "type", (unsigned)o->type < sizeof types / sizeof *types ? types[o->type] : "unknown");
            jw_kstr(&w, "default", o->default_value);
            if (o->type == PARLEY_OPTION_CHOICE || o->type == PARLEY_OPTION_CHOICES) {
                jw_key(&w, "choices");
                json_words(&w, o->choices);
            }
            if (o->type == PARLEY_OPTION_NUMBER || o->type == PARLEY_OPTION_INTEGER) {
                jw_key(&w, "range");
                jw_arr_inline(&w);
                jw_num(&w, o->min);
                jw_num(&w, o->max);
                jw_arr_end(&w);
            }
            jw_kstr(&w, "help", o->help);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    pu_buf_puts(&w.out, "\n");
    return pu_buf_take(&w.out);
}

/* Reads the body as a scenario in parley's JSON format. */
static parley_status read_native(const serve_job *job, parley_scenario **s, parley_error *err)
{
    parley_read_options o = {"json", NULL};
    return parley_read_buffer(job->body, job->len, "request.json", &o, s, err);
}

/* Reads the body as a scenario; on failure fills a (400) and returns NULL. */
static parley_scenario *body_scenario(const serve_job *job, parley_error *err, serve_answer *a)
{
    parley_scenario *s = NULL;
    if (!job->len) {
        serve_error(a, 400, "expected a scenario in parley's JSON format as the request body", NULL);
        return NULL;
    }
    int env = read_envelope(job, &s, err, a);
    if (env) return s;
    if (read_native(job, &s, err) != PARLEY_OK) {
        serve_error(a, 400, "the scenario is not valid", err);
        return NULL;
    }
    return s;
}

/* The rounds entry i of plan may run, read from its options: `rounds` or `max_turns`, times `repetitions`
 * when a nonzero `p` makes them differ; 0 when the model has no such option (it is not round-based). */
static double plan_rounds(const parley_plan *p, size_t i)
{
    const parley_model *m = parley_plan_model(p, i);
    double rounds = 0, reps = 1;
    bool random = false;
    for (size_t j = 0; j < parley_model_option_count(m); j++) {
        const char *name = parley_model_option(m, j)->name;
        double v = strtod(parley_plan_option_text(p, i, j), NULL);
        if (!strcmp(name, "rounds") || !strcmp(name, "max_turns")) rounds = rounds ? rounds * v : v;
        else if (!strcmp(name, "repetitions")) reps = v;
        else if (!strcmp(name, "p")) random = v != 0;
    }
    return random ? rounds * reps : rounds;
}

/* Checks the run's sizes against budget.h before it starts; on a bound passed fills a (400) and returns
 * false. draws is 0 for a single run. */
static bool within_bounds(const parley_scenario *s, const parley_plan *p, size_t draws, bool full, serve_answer *a)
{
    double actors = (double)parley_scenario_actor_count(s), issues = (double)parley_scenario_issue_count(s);
    double stances = actors * issues;
    char message[512];
    message[0] = '\0';
    if (actors > SERVE_MAX_ACTORS)
        snprintf(message, sizeof message, "the scenario has %.0f actors; the server runs at most %d", actors, SERVE_MAX_ACTORS);
    else if (issues > SERVE_MAX_ISSUES)
        snprintf(message, sizeof message, "the scenario has %.0f issues; the server runs at most %d", issues, SERVE_MAX_ISSUES);
    else if (stances > SERVE_MAX_STANCES)
        snprintf(message, sizeof message, "the scenario has %.0f actors x issues; the server runs at most %d", stances, SERVE_MAX_STANCES);
    for (size_t i = 0; !message[0] && i < parley_plan_count(p); i++) {
        double rounds = plan_rounds(p, i);
        const char *label = parley_plan_label(p, i);
        if (stances * rounds > SERVE_MAX_STANCE_ROUNDS)
            snprintf(message, sizeof message,
                     "%s: %.0f actors x issues x %.0f rounds is %.3g; the server runs at most %.0f (fewer rounds, or the CLI)",
                     label, stances, rounds, stances * rounds, SERVE_MAX_STANCE_ROUNDS);
        /* Only the whole map (detail=full) is quadratic: the default, bounded one grows as the rounds do. */
        else if (full && (parley_model_records(parley_plan_model(p, i)) & PARLEY_RECORDS_PRESSURE) &&
                 actors * actors * issues * rounds > SERVE_MAX_PRESSURE_CELLS)
            snprintf(message, sizeof message,
                     "%s: its whole pressure map (detail=full) holds actors^2 x issues x rounds = %.3g numbers; the server "
                     "answers at most %.0f (the default detail, fewer actors or rounds, or the CLI)",
                     label, actors * actors * issues * rounds, SERVE_MAX_PRESSURE_CELLS);
    }
    double cells = (double)draws * ((double)parley_plan_count(p) * issues + actors + 3 * stances);
    if (!message[0] && cells > SERVE_MAX_MC_CELLS)
        snprintf(message, sizeof message,
                 "%zu draws of this scenario keep %.3g numbers; the server keeps at most %.0f (fewer draws, or the CLI)", draws, cells,
                 SERVE_MAX_MC_CELLS);
    if (!message[0]) return true;
    serve_error(a, 400, message, NULL);
    return false;
}

/* parley_run with options o: the result, or NULL with err filled. */
static parley_result *run_one(const parley_scenario *s, const parley_plan *p, uint64_t seed, const parley_run_options *o,
                              parley_error *err)
{
    parley_result *r = NULL;
    parley_run_with(s, p, seed, o, &r, err);
    return r;
}

/* Runs the endpoint on s under p (plot: issue, SIZE_MAX for every one); returns the answer text (NULL on
 * failure, err says why). */
static char *run(const serve_query *q, const parley_scenario *s, const parley_plan *p, size_t issue, const char **type,
                 parley_error *err)
{
    char *out = NULL;
    parley_run_options ro = {q->full ? PARLEY_RUN_FULL_DETAIL : 0u, 0, NULL};
    if (q->ep == EP_FORECAST) {
        parley_result *r = run_one(s, p, q->seed, &ro, err);
        if (r) out = parley_report(s, r, "json", err);
        parley_result_free(r);
    } else if (q->ep == EP_PLOT) {
        parley_result *r = run_one(s, p, q->seed, &ro, err);
        if (r) out = parley_chart(s, r, NULL, NULL, NULL, q->chart ? q->chart : "forecast", issue, err);
        parley_result_free(r);
        *type = "image/svg+xml";
    } else if (q->ep == EP_MONTECARLO) {
        parley_mc *mc = parley_mc_new(s, p, q->draws, q->seed, err);
        parley_mc_options o = {1, NULL, NULL, NULL}; /* one thread per request: the workers run requests in parallel */
        const char *th = q->threshold;
        if (mc && parley_mc_run(mc, 0, 1, &o, err) == PARLEY_OK) out = parley_mc_report(mc, "json", th ? &th : NULL, th ? 1 : 0, err);
        parley_mc_free(mc);
    } else if (q->ep == EP_COMPARE) {
        size_t nv = parley_variant_count(s);
        parley_scenario **vs = calloc(nv ? nv : 1, sizeof *vs);
        parley_result **vr = calloc(nv ? nv : 1, sizeof *vr);
        parley_result *base = vs && vr ? run_one(s, p, q->seed, &ro, err) : NULL;
        bool ok = base != NULL;
        for (size_t v = 0; ok && v < nv; v++)
            ok = parley_scenario_variant(s, v, &vs[v], err) == PARLEY_OK && (vr[v] = run_one(vs[v], p, q->seed, &ro, err));
        if (ok)
            out = parley_compare_report(s, base, (const parley_scenario *const *)vs, (const parley_result *const *)vr, nv, "json", err);
        for (size_t v = 0; v < nv && vs && vr; v++) parley_scenario_free(vs[v]), parley_result_free(vr[v]);
        free(vs), free(vr);
        parley_result_free(base);
    }
    return out;
}

void serve_api_run(const serve_job *job, serve_answer *a, size_t answer_budget)
{
    const serve_query *q = &job->q;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    parley_plan *p = NULL;
    if (!err) {
        answer(a, 503, "application/json", NULL);
        return;
    }
    if (q->ep == EP_VALIDATE) {
        bool ok = false;
        if (job->len) {
            int env = read_envelope(job, &s, err, a);
            if (env < 0) goto done;
            ok = env || read_native(job, &s, err) == PARLEY_OK;
        }
        pu_buf b = {0};
        pu_buf_printf(&b, "{\"valid\": %s, \"actors\": %zu, \"issues\": %zu, \"diagnostics\": ", ok ? "true" : "false",
                      s ? parley_scenario_actor_count(s) : 0, s ? parley_scenario_issue_count(s) : 0);
        json_diags(&b, err);
        pu_buf_puts(&b, "}\n");
        answer(a, 200, "application/json", pu_buf_take(&b));
        goto done;
    }
    if (!(s = body_scenario(job, err, a))) goto done;
    if (q->model && *q->model ? parley_plan_parse_with(&p, q->model, PARLEY_PLAN_NO_FILES, err) != PARLEY_OK : !(p = parley_plan_default(s))) {
        serve_error(a, 400, "bad model SPEC", err);
        goto done;
    }
    size_t issue = SIZE_MAX;
    if (q->ep == EP_PLOT && q->issue && !parley_scenario_find_issue(s, q->issue, &issue)) {
        serve_error(a, 400, "unknown issue", NULL);
        goto done;
    }
    if (!within_bounds(s, p, q->ep == EP_MONTECARLO ? q->draws : 0, q->full, a)) goto done;
    parley_error_clear(err);
    const char *type = "application/json";
    char *out = run(q, s, p, issue, &type, err);
    parley_status st = parley_error_status(err);
    if (!out && st == PARLEY_E_NOMEM)
        serve_error(a, 503, "the run needed more memory than the server's budget (docs/security.md); try the CLI", err);
    else if (!out) serve_error(a, parley_status_exit_code(st) == 2 ? 400 : 500, "the run failed", err);
    else if (strlen(out) > answer_budget) {
        char message[200];
        snprintf(message, sizeof message, "the answer has %zu bytes, over the server's budget of %zu; ask for less, or use the CLI",
                 strlen(out), answer_budget);
        free(out);
        serve_error(a, 413, message, NULL);
    } else answer(a, 200, type, out);
done:
    parley_plan_free(p);
    parley_scenario_free(s);
    parley_error_free(err);
}
