/* backtest.c - scoring models against known outcomes, with equal or file-given capabilities. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error_internal.h"
#include "../core/scenario_internal.h"
#include "../io/csvtok.h"
#include "parley/backtest.h"
#include "parley/io.h"

typedef struct cap_row {
    char *actor;
    double weight;
    char from[11], to[11]; /* ISO dates; "" = open */
} cap_row;

struct parley_capabilities {
    cap_row *rows;
    size_t n, cap;
    char *path;
    bool own; /* parley_capabilities_own: no rows, the scenario's capabilities stand */
};

parley_capabilities *parley_capabilities_own(void)
{
    parley_capabilities *c = calloc(1, sizeof *c);
    if (c) c->own = true;
    return c;
}

void parley_capabilities_free(parley_capabilities *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n; i++) free(c->rows[i].actor);
    free(c->rows);
    free(c->path);
    free(c);
}

static bool is_iso_date(const char *t)
{
    if (strlen(t) != 10 || t[4] != '-' || t[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (t[i] < '0' || t[i] > '9')) return false;
    return true;
}

parley_status parley_capabilities_read(const char *path, parley_capabilities **out, parley_error *err)
{
    *out = NULL;
    /* Read the whole file through the scenario reader's loader limits. */
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno; /* a file that is not there (or not ours) is a mistake in the command, as for any input */
        return PERR(err, pu_errno_is_callers(e) ? PARLEY_E_USAGE : PARLEY_E_IO, path, 0, 0,
                    "--capabilities", "cannot open the capability file: %s", strerror(e));
    }
    pu_buf data = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && data.len <= PARLEY_MAX_FILE_BYTES) pu_buf_append(&data, chunk, n);
    fclose(f);
    if (data.failed) return PERR(err, PARLEY_E_NOMEM, path, 0, 0, NULL, "out of memory");
    if (data.len > PARLEY_MAX_FILE_BYTES) {
        pu_buf_free(&data);
        return PERR(err, PARLEY_E_LIMIT, path, 0, 0, NULL, "the capability file is larger than the limit of %u bytes", PARLEY_MAX_FILE_BYTES);
    }
    parley_capabilities *c = calloc(1, sizeof *c);
    csv_reader r;
    csv_init(&r, data.data ? data.data : "", data.len, 0, 0, path);
    csv_record rec = {0};
    size_t before = parley_error_errors(err);
    size_t col[4] = {SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX};
    static const char *const names[] = {"actor", "weight", "from", "to"};
    bool header = false;
    int rc;
    while (c && (rc = csv_read(&r, &rec, err)) == 1 && !perr_full(err)) {
        if (csv_blank(&rec)) continue;
        if (!header) {
            header = true;
            for (size_t i = 0; i < rec.n; i++) {
                const char *h = csv_trim(&rec, i);
                size_t k;
                for (k = 0; k < 4 && pu_strcasecmp(h, names[k]); k++) {}
                if (k == 4) {
                    const char *hint = pu_did_you_mean(h, names, 4);
                    PERR(err, PARLEY_E_SYNTAX, path, rec.line, rec.f[i].column, "header", "unknown column \"%s\"%s%s%s; "
                         "expected actor,weight[,from,to]", h, hint ? " (did you mean \"" : "", hint ? hint : "",
                         hint ? "\"?)" : "");
                } else {
                    col[k] = i;
                }
            }
            if (col[0] == SIZE_MAX || col[1] == SIZE_MAX)
                PERR(err, PARLEY_E_SYNTAX, path, rec.line, 1, "header", "expected the columns actor and weight");
            if (parley_error_errors(err) != before) break;
            continue;
        }
        cap_row row = {0};
        const char *actor = csv_trim(&rec, col[0]);
        const char *wt = csv_trim(&rec, col[1]);
        int wcol = col[1] < rec.n ? rec.f[col[1]].column : 0;
        if (!*actor) {
            PERR(err, PARLEY_E_SYNTAX, path, rec.line, 1, "actor", "expected an actor id, found an empty cell");
            continue;
        }
        if (!pu_parse_double(wt, strlen(wt), false, &row.weight) || row.weight < 0) {
            PERR(err, PARLEY_E_INVALID, path, rec.line, wcol, "weight", "expected a number >= 0, found \"%.40s\"", wt);
            continue;
        }
        bool ok = true;
        for (int k = 2; k < 4; k++) {
            const char *d = col[k] != SIZE_MAX ? csv_trim(&rec, col[k]) : "";
            if (*d && !is_iso_date(d)) {
                PERR(err, PARLEY_E_INVALID, path, rec.line, rec.f[col[k]].column, names[k],
                     "expected a date as YYYY-MM-DD or nothing, found \"%.40s\"", d);
                ok = false;
            } else {
                strcpy(k == 2 ? row.from : row.to, d);
            }
        }
        if (!ok) continue;
        row.actor = pu_strdup(actor);
        if (!row.actor || !pu_grow((void **)&c->rows, &c->cap, c->n + 1, sizeof *c->rows)) {
            free(row.actor);
            PERR(err, PARLEY_E_NOMEM, path, 0, 0, NULL, "out of memory");
            break;
        }
        c->rows[c->n++] = row;
    }
    csv_record_free(&rec);
    pu_buf_free(&data);
    if (!c) return PERR(err, PARLEY_E_NOMEM, path, 0, 0, NULL, "out of memory");
    if (parley_error_errors(err) == before && c->n == 0)
        PERR(err, PARLEY_E_SYNTAX, path, 0, 0, NULL, "expected a header and at least one weight, found none");
    if (parley_error_errors(err) != before) {
        parley_capabilities_free(c);
        return parley_error_status(err);
    }
    c->path = pu_strdup(path);
    *out = c;
    return PARLEY_OK;
}

/* Returns the weight of actor on date (NULL = unknown), or NaN when the file has none for it. */
static double weight_for(const parley_capabilities *c, const char *actor, const char *date)
{
    double last = NAN;
    for (size_t i = 0; i < c->n; i++) {
        const cap_row *r = &c->rows[i];
        if (strcmp(r->actor, actor)) continue;
        bool dated = r->from[0] || r->to[0];
        if (!date) {
            if (!dated) return r->weight;
            last = r->weight; /* an undated issue takes the actor's last listed weight */
            continue;
        }
        if ((!r->from[0] || strcmp(r->from, date) <= 0) && (!r->to[0] || strcmp(date, r->to) <= 0)) return r->weight;
    }
    return last;
}

/* Returns a deep copy of s's numbers and ids with every stance's capability set from caps (or 1), ready
 * to finalize; NULL when out of memory. Descriptions are not copied: models never read them. */
static parley_scenario *with_capabilities(const parley_scenario *s, const parley_capabilities *caps, parley_error *err)
{
    parley_scenario *c = parley_scenario_new();
    if (!c) return NULL;
    c->source = pu_strdup(s->source);
    c->format = pu_strdup(s->format);
    c->name = pu_strdup(s->name);
    memcpy(c->sha256, s->sha256, sizeof c->sha256);
    c->batch = s->batch;
    parley_status st = PARLEY_OK;
    char *missing_warned = calloc(s->n_actors ? s->n_actors : 1, 1);
    if (!missing_warned) goto fail;
    for (size_t a = 0; a < s->n_actors; a++) {
        pactor *x = sc_new_actor(c, &st);
        if (!x || !(x->id = pu_strdup(s->actors[a].id))) goto fail;
        x->name = pu_strdup(s->actors[a].name);
        x->capability.v = caps && caps->own ? s->actors[a].capability.v : 1;
    }
    for (size_t k = 0; k < s->n_issues; k++) {
        const pissue *o = &s->issues[k];
        pissue *x = sc_new_issue(c, &st);
        if (!x || !(x->id = pu_strdup(o->id))) goto fail;
        x->label = pu_strdup(o->label);
        x->date = pu_strdup(o->date);
        x->low.v = o->low.v, x->high.v = o->high.v, x->reference.v = o->reference.v, x->outcome.v = o->outcome.v;
        /* Attributes tell models which issues belong together (the exchange model trades within a proposal). */
        for (size_t a = 0; a < o->n_attrs; a++)
            if (!sc_issue_add_attr(x, o->attrs[a].key, o->attrs[a].value)) goto fail;
    }
    for (size_t i = 0; i < s->n_stances; i++) {
        const pstance *o = &s->stances[i];
        pstance *x = sc_new_stance(c, &st);
        if (!x) goto fail;
        x->actor = o->actor, x->issue = o->issue;
        x->position.v = o->position.v, x->salience.v = o->salience.v;
        double w = 1;
        if (caps && caps->own) {
            w = o->capability.v; /* NaN: the actor's own, as in s */
        } else if (caps) {
            w = weight_for(caps, s->actors[o->actor].id, s->issues[o->issue].date);
            if (isnan(w)) {
                if (!missing_warned[o->actor])
                    PWARN(err, NULL, 0, 0, "--capabilities", "actor \"%s\" has no weight in the capability file; it keeps weight 1",
                          s->actors[o->actor].id);
                missing_warned[o->actor] = 1;
                w = 1;
            }
        }
        x->capability.v = w;
    }
    free(missing_warned);
    if (parley_scenario_finalize(c, err) != PARLEY_OK) {
        parley_scenario_free(c);
        return NULL;
    }
    return c;
fail:
    free(missing_warned);
    parley_scenario_free(c);
    return NULL;
}

/* Whether every stance of s has the same effective capability: then its own capabilities are equal ones. */
static bool all_equal(const parley_scenario *s)
{
    double first = NAN;
    for (size_t i = 0; i < s->n_stances; i++) {
        const pstance *st = &s->stances[i];
        double w = pnum_has(st->capability) ? st->capability.v : s->actors[st->actor].capability.v;
        if (i == 0) first = w;
        else if (w != first) return false;
    }
    return true;
}

typedef struct bt_model {
    char *name;
    size_t scored;
    double mae, median_ae;
} bt_model;

struct parley_backtest {
    size_t n_models, n_issues;
    bt_model *models;
    size_t *issues;   /* scenario index of each issue with an outcome */
    char **issue_ids;
    double *forecast; /* [issue * n_models + model] */
    double *outcome;
    char *caps_label;
    parley_result *result; /* kept for the provenance: seed and resolved options */
};

void parley_backtest_free(parley_backtest *b)
{
    if (!b) return;
    for (size_t m = 0; m < b->n_models; m++) free(b->models[m].name);
    for (size_t i = 0; i < b->n_issues; i++) free(b->issue_ids[i]);
    free(b->models), free(b->issues), free(b->issue_ids), free(b->forecast), free(b->outcome), free(b->caps_label);
    parley_result_free(b->result);
    free(b);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

parley_status parley_backtest_run(const parley_scenario *s, const parley_plan *plan, const parley_capabilities *caps,
                                  uint64_t seed, parley_backtest **out, parley_error *err)
{
    return parley_backtest_run_with(s, plan, caps, seed, NULL, out, err);
}

parley_status parley_backtest_run_with(const parley_scenario *s, const parley_plan *plan, const parley_capabilities *caps,
                                       uint64_t seed, const parley_run_options *o, parley_backtest **out, parley_error *err)
{
    *out = NULL;
    parley_scenario *w = with_capabilities(s, caps, err);
    if (!w) return parley_error_status(err) != PARLEY_OK ? parley_error_status(err) : PARLEY_E_NOMEM;
    /* forecasts only (no rounds or pressure maps), with the caller's threads and cancel flag */
    parley_run_options ro = {PARLEY_RUN_SUMMARY | (o ? o->flags : 0), o ? o->threads : 0, o ? o->cancel : NULL};
    parley_result *r = NULL;
    parley_run_with(w, plan, seed, &ro, &r, err);
    if (!r) {
        parley_scenario_free(w);
        return parley_error_status(err) != PARLEY_OK ? parley_error_status(err) : PARLEY_E_MODEL;
    }
    parley_backtest *b = calloc(1, sizeof *b);
    size_t nm = parley_plan_count(plan), nk = parley_scenario_issue_count(w);
    parley_status st = PARLEY_OK;
    if (!b) goto nomem;
    b->n_models = nm;
    b->models = calloc(nm ? nm : 1, sizeof *b->models);
    b->issues = calloc(nk ? nk : 1, sizeof *b->issues);
    b->issue_ids = calloc(nk ? nk : 1, sizeof *b->issue_ids);
    b->forecast = calloc((nk ? nk : 1) * (nm ? nm : 1), sizeof *b->forecast);
    b->outcome = calloc(nk ? nk : 1, sizeof *b->outcome);
    double *errs = malloc((nk ? nk : 1) * sizeof *errs);
    if (!b->models || !b->issues || !b->issue_ids || !b->forecast || !b->outcome || !errs) {
        free(errs);
        goto nomem;
    }
    for (size_t k = 0; k < nk; k++) {
        double outc = parley_issue_number(w, k, PARLEY_ISSUE_OUTCOME);
        if (isnan(outc)) continue;
        size_t i = b->n_issues++;
        b->issues[i] = k;
        b->issue_ids[i] = pu_strdup(parley_issue_id(w, k));
        b->outcome[i] = outc;
        for (size_t m = 0; m < nm; m++) b->forecast[i * nm + m] = parley_result_value(r, m, k);
    }
    for (size_t m = 0; m < nm; m++) {
        bt_model *bm = &b->models[m];
        bm->name = pu_strdup(parley_plan_label(plan, m));
        size_t n = 0;
        double sum = 0;
        for (size_t i = 0; i < b->n_issues; i++) {
            double f = b->forecast[i * nm + m];
            if (isnan(f)) continue;
            errs[n] = fabs(f - b->outcome[i]);
            sum += errs[n++];
        }
        bm->scored = n;
        bm->mae = n ? sum / (double)n : NAN;
        qsort(errs, n, sizeof *errs, cmp_double);
        bm->median_ae = n == 0 ? NAN : n % 2 ? errs[n / 2] : (errs[n / 2 - 1] + errs[n / 2]) / 2;
    }
    free(errs);
    b->caps_label = caps && caps->own && !all_equal(s) ? pu_strdup("the scenario's own")
                    : caps && !caps->own ? pu_asprintf("from %s", caps->path ? caps->path : "a file")
                                         : pu_strdup("equal");
    b->result = r;
    parley_scenario_free(w);
    *out = b;
    return PARLEY_OK;
nomem:
    st = PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    parley_backtest_free(b);
    parley_result_free(r);
    parley_scenario_free(w);
    return st;
}

size_t parley_backtest_model_count(const parley_backtest *b) { return b->n_models; }

void parley_backtest_summary(const parley_backtest *b, size_t m, size_t *scored, double *mae, double *median_ae)
{
    if (m >= b->n_models) return;
    if (scored) *scored = b->models[m].scored;
    if (mae) *mae = b->models[m].mae;
    if (median_ae) *median_ae = b->models[m].median_ae;
}

size_t parley_backtest_issue_count(const parley_backtest *b) { return b->n_issues; }

void parley_backtest_issue(const parley_backtest *b, size_t i, size_t m, const char **id, double *forecast, double *outcome)
{
    if (i >= b->n_issues || m >= b->n_models) return;
    if (id) *id = b->issue_ids[i];
    if (forecast) *forecast = b->forecast[i * b->n_models + m];
    if (outcome) *outcome = b->outcome[i];
}

const char *parley_backtest_model_label(const parley_backtest *b, size_t m)
{
    return m < b->n_models ? b->models[m].name : NULL;
}

const char *parley_backtest_capabilities(const parley_backtest *b)
{
    return b->caps_label;
}

const parley_result *parley_backtest_result(const parley_backtest *b)
{
    return b->result;
}

parley_scenario *bt_with_capabilities(const parley_scenario *s, const parley_capabilities *caps, parley_error *err)
{
    return with_capabilities(s, caps, err);
}

const char *bt_capabilities_path(const parley_capabilities *caps)
{
    return caps && caps->path ? caps->path : "a file";
}
