/* backtest.c - scoring models against known outcomes, with equal or file-given capabilities. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error_internal.h"
#include "../core/scenario_internal.h"
#include "../io/csvtok.h"
#include "fit.h"
#include "parley/backtest.h"
#include "parley/io.h"
#include "parley/rng.h"

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

/* ---- the backtest ---- */

/* Figures per row, indexed by parley_backtest_figure. */
#define BT_FIGURES 11

typedef struct bt_model {
    char *name;
    bool baseline, refitted;
    size_t scored, skipped, paired;
    char *skip_why;
    double fig[BT_FIGURES];
} bt_model;

/* One breakdown cell: issues with an outcome whose attribute has this value. */
typedef struct bt_cell {
    const char *attr; /* static */
    char *value;
    size_t issues;
    size_t *scored; /* per row */
    double *mae;    /* per row */
} bt_cell;

/* One cross-validation fold. */
typedef struct bt_fold {
    char *proposal; /* NULL: an issue of its own */
    char *params;   /* the refitted parameters as a model spec */
    size_t issues;
    size_t run; /* the run of the CV result holding its parameters */
} bt_fold;

struct parley_backtest {
    size_t n_models, n_rows, n_issues;
    bt_model *models; /* n_rows */
    size_t *issues;   /* scenario index of each issue with an outcome */
    char **issue_ids;
    double *forecast; /* [issue * n_rows + row] */
    double *crps;     /* [issue * n_rows + row] */
    signed char *cov50, *cov80;
    size_t *fold_of;  /* per issue: its CV fold (SIZE_MAX without CV) */
    size_t *group;    /* per issue: its bootstrap group */
    size_t n_groups;
    double *outcome;
    char *caps_label;
    parley_result *result;    /* kept for the provenance: seed and resolved options */
    parley_result *cv_result; /* the refits' forecasts, one run per distinct parameter set */
    parley_backtest_cv cv;
    unsigned resamples;
    size_t compromise;
    bt_fold *folds;
    size_t n_folds;
    bt_cell *cells;
    size_t n_cells;
};

void parley_backtest_free(parley_backtest *b)
{
    if (!b) return;
    for (size_t m = 0; m < b->n_rows && b->models; m++) free(b->models[m].name), free(b->models[m].skip_why);
    for (size_t i = 0; i < b->n_issues; i++) free(b->issue_ids[i]);
    for (size_t c = 0; c < b->n_cells; c++) free(b->cells[c].value), free(b->cells[c].scored), free(b->cells[c].mae);
    for (size_t k = 0; k < b->n_folds; k++) free(b->folds[k].proposal), free(b->folds[k].params);
    free(b->models), free(b->issues), free(b->issue_ids), free(b->forecast), free(b->outcome), free(b->caps_label);
    free(b->crps), free(b->cov50), free(b->cov80), free(b->fold_of), free(b->group), free(b->cells), free(b->folds);
    parley_result_free(b->result);
    parley_result_free(b->cv_result);
    free(b);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The p-quantile of sorted v[0..n), interpolating linearly between order statistics (R's type 7). */
static double sorted_quantile(const double *v, size_t n, double p)
{
    double h = p * (double)(n - 1);
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n) return v[n - 1];
    return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

/* ---- diagnostics: repeated warnings and notes said once ---- */

/* Splits a message into text and numbers: the text with every number replaced by '#', and the numbers
 * (up to max) with their spans. Returns how many numbers it found (capped at max). */
typedef struct num_span {
    size_t at, len;
    double v;
} num_span;

static size_t split_numbers(const char *msg, pu_buf *shape, num_span *nums, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; msg[i];) {
        /* a plural's "s" at a word's end is not a difference: "1 actor ... sits" is like "2 actors ... sit" */
        if (msg[i] == 's' && i > 0 && msg[i - 1] >= 'a' && msg[i - 1] <= 'z' && !(msg[i + 1] >= 'a' && msg[i + 1] <= 'z')) {
            i++;
            continue;
        }
        if (msg[i] >= '0' && msg[i] <= '9') {
            size_t j = i;
            while ((msg[j] >= '0' && msg[j] <= '9') || (msg[j] == '.' && msg[j + 1] >= '0' && msg[j + 1] <= '9')) j++;
            if (n < max) nums[n++] = (num_span){i, j - i, strtod(msg + i, NULL)};
            pu_buf_puts(shape, "#");
            i = j;
        } else {
            pu_buf_append(shape, msg + i, 1);
            i++;
        }
    }
    return n;
}

#define SUM_NUMS 8

/* One group of like diagnostics. */
typedef struct diag_group {
    size_t first;   /* index in the source list */
    size_t rep;     /* the message whose words are said: a plural one when there is one */
    bool rep_plural;
    char *shape;    /* severity, file, field (or "an issue") and message with numbers as '#' */
    size_t count, n_nums;
    bool by_issue;  /* the field is an issue id: count the issues */
    const char *ids[3];
    num_span lo[SUM_NUMS], hi[SUM_NUMS]; /* smallest and largest number at each place */
} diag_group;

/* Copies the diagnostics of from into to, each repeated warning or note once: diagnostics that differ
 * only in their numbers and in the issue their field names count as one, said with the range of each
 * number and the issues it concerns. Errors are copied as they are. */
static void summarise_diags(const parley_error *from, parley_error *to, const parley_scenario *s)
{
    size_t n = parley_error_count(from), ng = 0;
    diag_group *g = calloc(n ? n : 1, sizeof *g);
    size_t *of = calloc(n ? n : 1, sizeof *of);
    if (!g || !of) {
        free(g), free(of);
        PERR(to, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const parley_diag *d = parley_error_at(from, i);
        of[i] = SIZE_MAX;
        if (d->severity == PARLEY_SEVERITY_ERROR) continue;
        size_t k;
        bool by_issue = d->field && parley_scenario_find_issue(s, d->field, &k);
        pu_buf shape = {0};
        num_span nums[SUM_NUMS];
        pu_buf_printf(&shape, "%d\n%s\n%s\n", (int)d->severity, d->file ? d->file : "", by_issue ? "\001" : d->field ? d->field : "");
        size_t nn = split_numbers(d->message, &shape, nums, SUM_NUMS);
        char *sh = pu_buf_take(&shape);
        if (!sh) continue;
        size_t j;
        for (j = 0; j < ng && strcmp(g[j].shape, sh); j++) {}
        if (j == ng) {
            g[ng++] = (diag_group){.first = i, .rep = i, .rep_plural = nn && nums[0].v != 1, .shape = sh, .by_issue = by_issue,
                                   .n_nums = nn};
            memcpy(g[j].lo, nums, nn * sizeof *nums);
            memcpy(g[j].hi, nums, nn * sizeof *nums);
        } else {
            free(sh);
            if (!g[j].rep_plural && nn && nums[0].v != 1) g[j].rep = i, g[j].rep_plural = true;
            for (size_t q = 0; q < nn && q < g[j].n_nums; q++) {
                if (nums[q].v < g[j].lo[q].v) g[j].lo[q] = nums[q];
                if (nums[q].v > g[j].hi[q].v) g[j].hi[q] = nums[q];
            }
        }
        if (by_issue && g[j].count < 3) g[j].ids[g[j].count] = d->field;
        g[j].count++;
        of[i] = j;
    }
    for (size_t i = 0; i < n; i++) {
        const parley_diag *d = parley_error_at(from, i);
        if (of[i] == SIZE_MAX) {
            perr_add(to, d->severity, d->status, d->file, d->line, d->column, d->field, "%s", d->message);
            continue;
        }
        diag_group *x = &g[of[i]];
        if (x->first != i) continue;
        if (x->count == 1) {
            perr_add(to, d->severity, d->status, d->file, d->line, d->column, d->field, "%s", d->message);
            continue;
        }
        /* The representative message, each number that varies across the group written as its range
         * and each that agrees as written. */
        pu_buf m = {0};
        const char *msg = parley_error_at(from, x->rep)->message;
        /* a leading "model: " is kept in front, so the line reads "smp: on 151 issues (...): ..." */
        size_t lead = 0;
        while (msg[lead] >= 'a' && msg[lead] <= 'z') lead++;
        if (!(lead > 0 && msg[lead] == ':' && msg[lead + 1] == ' ')) lead = 0;
        else lead += 2;
        pu_buf_append(&m, msg, lead);
        if (x->by_issue) {
            pu_buf_printf(&m, "on %zu issues (", x->count);
            for (size_t q = 0; q < 3 && q < x->count; q++) pu_buf_printf(&m, "%s%s", q ? ", " : "", x->ids[q]);
            if (x->count > 3) pu_buf_printf(&m, " and %zu more", x->count - 3);
            pu_buf_puts(&m, "): ");
        }
        num_span own[SUM_NUMS];
        pu_buf scratch = {0};
        size_t nn = split_numbers(msg, &scratch, own, SUM_NUMS);
        pu_buf_free(&scratch);
        size_t at = lead;
        for (size_t q = 0; q < nn; q++) {
            if (own[q].at < at) continue;
            pu_buf_append(&m, msg + at, own[q].at - at);
            if (q < x->n_nums && x->lo[q].v != x->hi[q].v) pu_buf_printf(&m, "%g to %g", x->lo[q].v, x->hi[q].v);
            else pu_buf_append(&m, msg + own[q].at, own[q].len);
            at = own[q].at + own[q].len;
        }
        pu_buf_puts(&m, msg + at);
        if (!x->by_issue) pu_buf_printf(&m, " (%zu times)", x->count);
        char *text = pu_buf_take(&m);
        perr_add(to, d->severity, d->status, d->file, 0, 0, x->by_issue ? NULL : d->field, "%s", text ? text : d->message);
        free(text);
    }
    for (size_t j = 0; j < ng; j++) free(g[j].shape);
    free(g), free(of);
}

/* ---- grouping ---- */

/* Returns the issue's proposal key (DEU: "prnr", else "prnrnmc"), or NULL when it has none, as the fit
 * groups issues (src/analysis/fit.c). */
static const char *proposal_of(const parley_scenario *s, size_t k)
{
    const char *p = parley_issue_attribute(s, k, "prnr");
    if (!p || !*p) p = parley_issue_attribute(s, k, "prnrnmc");
    return p && *p ? p : NULL;
}

/* Numbers the bootstrap groups: in a batch, issues of one proposal together; otherwise one per issue. */
static void number_groups(parley_backtest *b, const parley_scenario *w)
{
    bool batch = parley_scenario_is_batch(w);
    for (size_t i = 0; i < b->n_issues; i++) {
        const char *key = batch ? proposal_of(w, b->issues[i]) : NULL;
        size_t g = b->n_groups;
        for (size_t j = 0; key && j < i; j++) {
            const char *other = proposal_of(w, b->issues[j]);
            if (other && !strcmp(other, key)) {
                g = b->group[j];
                break;
            }
        }
        if (g == b->n_groups) b->n_groups++;
        b->group[i] = g;
    }
}

/* ---- cross-validation ---- */

/* Writes a plan option value that reads back as the same double. */
static void fmt_exact(char *buf, size_t size, double v)
{
    snprintf(buf, size, "%.15g", v);
    if (strtod(buf, NULL) != v) snprintf(buf, size, "%.17g", v);
}

/* Fits the ensemble's parameters once per proposal of w, on every other proposal's issues, and runs the
 * ensemble on w once per distinct parameter set: b->cv_result, b->folds and b->fold_of. */
static parley_status cross_validate(parley_backtest *b, parley_scenario *w, uint64_t seed,
                                    const parley_run_options *ro, parley_error *err)
{
    parley_error *inner = parley_error_new();
    ens_batch *eb = NULL;
    ens_grid *g = NULL;
    ens_params *fp = NULL;
    parley_plan *plan = NULL;
    pu_buf spec = {0};
    /* An issue no actor takes part in has nothing to fit on, and the ensemble forecasts nothing there
     * (the row says so among its skipped issues): its outcome is hidden from the fit alone. */
    double *hidden = malloc((w->n_issues ? w->n_issues : 1) * sizeof *hidden);
    parley_status st = inner && hidden ? PARLEY_OK : PARLEY_E_NOMEM;
    for (size_t k = 0; hidden && k < w->n_issues; k++) {
        hidden[k] = w->issues[k].outcome.v;
        if (parley_issue_stance_count(w, k) == 0) w->issues[k].outcome.v = NAN;
    }
    /* the components with the backtest's seed, threads and cancel flag, as the scored run has them */
    if (st == PARLEY_OK) st = ens_batch_from_scenario_with(w, seed, ro, &eb, inner);
    for (size_t k = 0; hidden && k < w->n_issues; k++) w->issues[k].outcome.v = hidden[k];
    free(hidden);
    if (st != PARLEY_OK) goto done;
    if (eb->n_groups < 2) {
        st = PERR(inner, PARLEY_E_INVALID, parley_scenario_source(w), 0, 0, "--cv",
                  "expected at least two proposals to cross-validate, found %zu", eb->n_groups);
        goto done;
    }
    if ((st = ens_grid_new(eb, &g, inner)) != PARLEY_OK) goto done;
    fp = malloc(eb->n_groups * sizeof *fp);
    b->folds = calloc(eb->n_groups, sizeof *b->folds);
    if (!fp || !b->folds) goto nomem;
    b->n_folds = eb->n_groups;
    /* one run per distinct parameter set, in order of first appearance */
    size_t runs = 0;
    for (size_t k = 0; k < eb->n_groups; k++) {
        fp[k] = ens_grid_select(g, k);
        size_t j;
        for (j = 0; j < k; j++)
            if (fp[j].h == fp[k].h && fp[j].beta == fp[k].beta && fp[j].tau == fp[k].tau && fp[j].s == fp[k].s) break;
        char h[32], be[32], t[32], s[32];
        fmt_exact(h, sizeof h, fp[k].h), fmt_exact(be, sizeof be, fp[k].beta);
        fmt_exact(t, sizeof t, fp[k].tau), fmt_exact(s, sizeof s, fp[k].s);
        if (!(b->folds[k].params = pu_asprintf("ensemble,h=%s,beta=%s,tau=%s,s=%s", h, be, t, s))) goto nomem;
        if (j < k) {
            b->folds[k].run = b->folds[j].run;
            continue;
        }
        pu_buf_printf(&spec, "%s%s", runs ? "," : "", b->folds[k].params);
        b->folds[k].run = runs++;
    }
    for (size_t i = 0; i < eb->n; i++) {
        bt_fold *f = &b->folds[eb->group[i]];
        if (!f->issues++) {
            const char *key = proposal_of(w, eb->issue[i]);
            if (key && !(f->proposal = pu_strdup(key))) goto nomem;
        }
        for (size_t j = 0; j < b->n_issues; j++)
            if (b->issues[j] == eb->issue[i]) b->fold_of[j] = eb->group[i];
    }
    char *sp = pu_buf_take(&spec);
    if (!sp) goto nomem;
    st = parley_plan_parse(&plan, sp, inner);
    free(sp);
    if (st != PARLEY_OK) goto done;
    st = parley_run_with(w, plan, seed, ro, &b->cv_result, inner);
    goto done;
nomem:
    st = PERR(inner, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
done:
    /* the fit's own component runs repeat the backtest's notes: only its errors are news */
    for (size_t i = 0; inner && i < parley_error_count(inner); i++) {
        const parley_diag *d = parley_error_at(inner, i);
        if (d->severity == PARLEY_SEVERITY_ERROR)
            perr_add(err, d->severity, d->status, d->file, d->line, d->column, d->field, "%s", d->message);
    }
    if (!inner) st = PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    pu_buf_free(&spec);
    parley_plan_free(plan);
    free(fp);
    ens_grid_free(g);
    ens_batch_free(eb);
    parley_error_free(inner);
    return st;
}

/* ---- scoring ---- */

/* Returns the note of run's forecast of scenario issue k, or NULL. */
static const char *note_of(const parley_result *r, size_t run, size_t k, size_t n_issues)
{
    size_t fr, fk;
    double v;
    const char *note = NULL;
    size_t i = run * n_issues + k;
    if (parley_result_forecast(r, i, &fr, &fk, &v, &note) && fr == run && fk == k) return note;
    for (i = 0; parley_result_forecast(r, i, &fr, &fk, &v, &note); i++)
        if (fr == run && fk == k) return note;
    return NULL;
}

/* Adds one skipped issue's reason to a tally of distinct reasons. */
typedef struct why_tally {
    const char **why;
    size_t *count, n;
} why_tally;

static void tally(why_tally *t, const char *why)
{
    if (!why) why = "no forecast, and no note saying why";
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->why[i], why)) {
            t->count[i]++;
            return;
        }
    t->why[t->n] = why;
    t->count[t->n++] = 1;
}

/* Returns the tally as "64: why; 2: why", most frequent first (ties in order of first appearance), or
 * the one reason alone. */
static char *tally_text(why_tally *t)
{
    pu_buf o = {0};
    for (size_t done = 0; done < t->n; done++) {
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < t->n; i++)
            if (t->count[i] && (best == SIZE_MAX || t->count[i] > t->count[best])) best = i;
        if (t->n == 1) pu_buf_puts(&o, t->why[best]); /* one reason: the count is the row's skipped count */
        else pu_buf_printf(&o, "%s%zu: %s", done ? "; " : "", t->count[best], t->why[best]);
        t->count[best] = 0;
    }
    return pu_buf_take(&o);
}

/* Scores row m on every issue: forecasts, CRPS, coverage, and the row's figures. err_scratch holds
 * n_issues doubles. */
static bool score_row(parley_backtest *b, size_t m, const parley_scenario *w, double *errs, why_tally *t)
{
    bt_model *bm = &b->models[m];
    size_t nr = b->n_rows, nk = parley_scenario_issue_count(w), n = 0, nd = 0;
    double sum = 0, sq = 0, crps = 0, in50 = 0, in80 = 0, w50 = 0, w80 = 0;
    t->n = 0;
    for (size_t i = 0; i < b->n_issues; i++) {
        size_t k = b->issues[i], cell = i * nr + m;
        double y = b->outcome[i], f, c;
        b->cov50[cell] = b->cov80[cell] = -1;
        if (m >= b->n_models) { /* the reference point as a forecast: a point mass */
            f = parley_issue_number(w, k, PARLEY_ISSUE_REFERENCE);
            c = fabs(f - y);
            if (isnan(f)) tally(t, "the issue has no reference point");
        } else {
            bool cv = bm->refitted && b->fold_of[i] != SIZE_MAX; /* else no actor takes part: nothing to refit */
            const parley_result *r = cv ? b->cv_result : b->result;
            size_t run = cv ? b->folds[b->fold_of[i]].run : m;
            f = parley_result_value(r, run, k);
            c = parley_result_crps(r, run, k, y);
            if (isnan(f)) tally(t, note_of(r, run, k, nk));
            else if (parley_result_has_distribution(r, run, k)) {
                double lo50, hi50, lo80, hi80;
                parley_result_interval(r, run, k, 0.5, &lo50, &hi50);
                parley_result_interval(r, run, k, 0.8, &lo80, &hi80);
                b->cov50[cell] = lo50 <= y && y <= hi50;
                b->cov80[cell] = lo80 <= y && y <= hi80;
                in50 += b->cov50[cell], in80 += b->cov80[cell], w50 += hi50 - lo50, w80 += hi80 - lo80;
                nd++;
            }
        }
        b->forecast[cell] = f;
        b->crps[cell] = isnan(f) ? NAN : c;
        if (isnan(f)) continue;
        errs[n] = fabs(f - y);
        sum += errs[n], sq += errs[n] * errs[n], crps += c;
        n++;
    }
    double dn = (double)n, dd = (double)nd;
    bm->scored = n;
    bm->skipped = b->n_issues - n;
    if (t->n && !(bm->skip_why = tally_text(t))) return false;
    double *fg = bm->fig;
    for (size_t f = 0; f < BT_FIGURES; f++) fg[f] = NAN;
    if (n) {
        fg[PARLEY_BACKTEST_MAE] = sum / dn;
        fg[PARLEY_BACKTEST_RMSE] = sqrt(sq / dn);
        fg[PARLEY_BACKTEST_CRPS] = crps / dn;
        qsort(errs, n, sizeof *errs, cmp_double);
        fg[PARLEY_BACKTEST_MEDIAN_AE] = n % 2 ? errs[n / 2] : (errs[n / 2 - 1] + errs[n / 2]) / 2;
    }
    if (nd) {
        fg[PARLEY_BACKTEST_COVER50] = in50 / dd, fg[PARLEY_BACKTEST_COVER80] = in80 / dd;
        fg[PARLEY_BACKTEST_WIDTH50] = w50 / dd, fg[PARLEY_BACKTEST_WIDTH80] = w80 / dd;
    }
    return true;
}

/* The paired difference in MAE of row m against the compromise row, with its percentile bootstrap
 * interval: proposals (groups) are drawn with replacement, as many as hold a paired issue, and each
 * resample's difference is its issues' summed difference over their count. */
static bool bootstrap_row(parley_backtest *b, size_t m, uint64_t seed)
{
    size_t c = b->compromise, nr = b->n_rows, G = b->n_groups, B = b->resamples;
    if (c == SIZE_MAX || m == c) return true;
    double *gs = calloc(G ? G : 1, sizeof *gs), *stats = malloc(B * sizeof *stats);
    size_t *gn = calloc(G ? G : 1, sizeof *gn), *used = malloc((G ? G : 1) * sizeof *used);
    bool ok = gs && stats && gn && used;
    if (ok) {
        double total = 0;
        size_t n = 0, nu = 0;
        for (size_t i = 0; i < b->n_issues; i++) {
            double fm = b->forecast[i * nr + m], fc = b->forecast[i * nr + c];
            if (isnan(fm) || isnan(fc)) continue;
            double d = fabs(fm - b->outcome[i]) - fabs(fc - b->outcome[i]);
            gs[b->group[i]] += d, gn[b->group[i]]++;
            total += d, n++;
        }
        for (size_t g = 0; g < G; g++)
            if (gn[g]) used[nu++] = g;
        double *fg = b->models[m].fig;
        if (n) fg[PARLEY_BACKTEST_DIFF] = total / (double)n;
        b->models[m].paired = n;
        if (nu >= 2) {
            /* every row draws the same stream: rows with the same groups see the same resamples */
            parley_rng rng;
            parley_rng_seed(&rng, seed, 0);
            for (size_t r = 0; r < B; r++) {
                double s = 0;
                size_t k = 0;
                for (size_t j = 0; j < nu; j++) {
                    size_t g = used[parley_rng_below(&rng, nu)];
                    s += gs[g], k += gn[g];
                }
                stats[r] = s / (double)k;
            }
            qsort(stats, B, sizeof *stats, cmp_double);
            fg[PARLEY_BACKTEST_DIFF_LO] = sorted_quantile(stats, B, 0.025);
            fg[PARLEY_BACKTEST_DIFF_HI] = sorted_quantile(stats, B, 0.975);
        }
    }
    free(gs), free(stats), free(gn), free(used);
    return ok;
}

/* The breakdown cells of the DEU attributes that some issue with an outcome has. */
static bool breakdown(parley_backtest *b, const parley_scenario *w)
{
    static const char *const attrs[] = {"proc", "counvte"};
    size_t nr = b->n_rows, cap = 0;
    for (size_t a = 0; a < sizeof attrs / sizeof *attrs; a++) {
        bool any = false;
        for (size_t i = 0; i < b->n_issues && !any; i++) any = parley_issue_attribute(w, b->issues[i], attrs[a]) != NULL;
        if (!any) continue;
        size_t first = b->n_cells;
        for (size_t i = 0; i < b->n_issues; i++) {
            const char *v = parley_issue_attribute(w, b->issues[i], attrs[a]);
            if (!v) v = "";
            size_t c;
            for (c = first; c < b->n_cells && strcmp(b->cells[c].value, v); c++) {}
            if (c == b->n_cells) {
                if (!pu_grow((void **)&b->cells, &cap, b->n_cells + 1, sizeof *b->cells)) return false;
                bt_cell *x = &b->cells[b->n_cells++];
                *x = (bt_cell){attrs[a], pu_strdup(v), 0, calloc(nr, sizeof *x->scored), calloc(nr, sizeof *x->mae)};
                if (!x->value || !x->scored || !x->mae) return false;
            }
            bt_cell *x = &b->cells[c];
            x->issues++;
            for (size_t m = 0; m < nr; m++) {
                double f = b->forecast[i * nr + m];
                if (isnan(f)) continue;
                x->scored[m]++;
                x->mae[m] += fabs(f - b->outcome[i]);
            }
        }
    }
    for (size_t c = 0; c < b->n_cells; c++)
        for (size_t m = 0; m < nr; m++)
            b->cells[c].mae[m] = b->cells[c].scored[m] ? b->cells[c].mae[m] / (double)b->cells[c].scored[m] : NAN;
    return true;
}

parley_status parley_backtest_run(const parley_scenario *s, const parley_plan *plan, const parley_capabilities *caps,
                                  uint64_t seed, parley_backtest **out, parley_error *err)
{
    return parley_backtest_run_ex(s, plan, caps, seed, NULL, out, err);
}

parley_status parley_backtest_run_with(const parley_scenario *s, const parley_plan *plan, const parley_capabilities *caps,
                                       uint64_t seed, const parley_run_options *o, parley_backtest **out, parley_error *err)
{
    parley_backtest_options bo = {PARLEY_BACKTEST_CV_NONE, 0, o};
    return parley_backtest_run_ex(s, plan, caps, seed, &bo, out, err);
}

parley_status parley_backtest_run_ex(const parley_scenario *s, const parley_plan *plan, const parley_capabilities *caps,
                                     uint64_t seed, const parley_backtest_options *bo, parley_backtest **out,
                                     parley_error *err)
{
    *out = NULL;
    const parley_run_options *o = bo ? bo->run : NULL;
    parley_scenario *w = with_capabilities(s, caps, err);
    if (!w) return parley_error_status(err) != PARLEY_OK ? parley_error_status(err) : PARLEY_E_NOMEM;
    /* forecasts only (no rounds or pressure maps), with the caller's threads and cancel flag */
    parley_run_options ro = {PARLEY_RUN_SUMMARY | (o ? o->flags : 0), o ? o->threads : 0, o ? o->cancel : NULL};
    parley_result *r = NULL;
    /* the models' diagnostics go through a list of their own, to be said once each */
    parley_error *inner = parley_error_new();
    if (!inner) {
        parley_scenario_free(w);
        return PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    parley_run_with(w, plan, seed, &ro, &r, inner);
    summarise_diags(inner, err, w);
    parley_error_free(inner);
    if (!r) {
        parley_scenario_free(w);
        return parley_error_status(err) != PARLEY_OK ? parley_error_status(err) : PARLEY_E_MODEL;
    }
    parley_backtest *b = calloc(1, sizeof *b);
    size_t nm = parley_plan_count(plan), nk = parley_scenario_issue_count(w), nr = nm + 1;
    parley_status st = PARLEY_OK;
    double *errs = NULL;
    why_tally t = {0};
    if (!b) goto nomem;
    b->result = r;
    r = NULL;
    b->n_models = nm;
    b->n_rows = nr;
    b->cv = bo ? bo->cv : PARLEY_BACKTEST_CV_NONE;
    b->resamples = bo && bo->resamples ? bo->resamples : PARLEY_BACKTEST_RESAMPLES;
    b->compromise = SIZE_MAX;
    size_t cells = (nk ? nk : 1) * nr;
    b->models = calloc(nr, sizeof *b->models);
    b->issues = calloc(nk ? nk : 1, sizeof *b->issues);
    b->issue_ids = calloc(nk ? nk : 1, sizeof *b->issue_ids);
    b->forecast = calloc(cells, sizeof *b->forecast);
    b->crps = calloc(cells, sizeof *b->crps);
    b->cov50 = calloc(cells, 1), b->cov80 = calloc(cells, 1);
    b->outcome = calloc(nk ? nk : 1, sizeof *b->outcome);
    b->fold_of = malloc((nk ? nk : 1) * sizeof *b->fold_of);
    b->group = calloc(nk ? nk : 1, sizeof *b->group);
    errs = malloc((nk ? nk : 1) * sizeof *errs);
    t.why = malloc((nk ? nk : 1) * sizeof *t.why), t.count = malloc((nk ? nk : 1) * sizeof *t.count);
    if (!b->models || !b->issues || !b->issue_ids || !b->forecast || !b->crps || !b->cov50 || !b->cov80 || !b->outcome ||
        !b->fold_of || !b->group || !errs || !t.why || !t.count)
        goto nomem;
    for (size_t k = 0; k < nk; k++) {
        double outc = parley_issue_number(w, k, PARLEY_ISSUE_OUTCOME);
        if (isnan(outc)) continue;
        size_t i = b->n_issues++;
        b->issues[i] = k;
        b->fold_of[i] = SIZE_MAX;
        if (!(b->issue_ids[i] = pu_strdup(parley_issue_id(w, k)))) goto nomem;
        b->outcome[i] = outc;
    }
    bool fitted = false;
    for (size_t m = 0; m < nr; m++) {
        bt_model *bm = &b->models[m];
        const char *model = m < nm ? parley_model_name(parley_plan_model(plan, m)) : NULL;
        bm->name = pu_strdup(m < nm ? parley_plan_label(plan, m) : "reference point");
        if (!bm->name) goto nomem;
        bm->baseline = m == nm || !strcmp(model, "mean");
        bm->refitted = b->cv == PARLEY_BACKTEST_CV_PROPOSALS && model && !strcmp(model, "ensemble");
        fitted |= bm->refitted;
        if (model && !strcmp(model, "compromise") && b->compromise == SIZE_MAX) b->compromise = m;
    }
    if (fitted && b->n_issues && (st = cross_validate(b, w, seed, &ro, err)) != PARLEY_OK) goto fail;
    number_groups(b, w);
    for (size_t m = 0; m < nr; m++)
        if (!score_row(b, m, w, errs, &t)) goto nomem;
    for (size_t m = 0; m < nr; m++)
        if (!bootstrap_row(b, m, seed)) goto nomem;
    if (!breakdown(b, w)) goto nomem;
    b->caps_label = caps && caps->own && !all_equal(s) ? pu_strdup("the scenario's own")
                    : caps && !caps->own ? pu_asprintf("from %s", caps->path ? caps->path : "a file")
                                         : pu_strdup("equal");
    if (!b->caps_label) goto nomem;
    free(errs), free(t.why), free(t.count);
    parley_scenario_free(w);
    *out = b;
    return PARLEY_OK;
nomem:
    st = PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
fail:
    free(errs), free(t.why), free(t.count);
    parley_backtest_free(b);
    parley_result_free(r);
    parley_scenario_free(w);
    return st;
}

size_t parley_backtest_model_count(const parley_backtest *b) { return b->n_models; }
size_t parley_backtest_row_count(const parley_backtest *b) { return b->n_rows; }
bool parley_backtest_is_baseline(const parley_backtest *b, size_t m) { return m < b->n_rows && b->models[m].baseline; }
bool parley_backtest_is_refitted(const parley_backtest *b, size_t m) { return m < b->n_rows && b->models[m].refitted; }

void parley_backtest_summary(const parley_backtest *b, size_t m, size_t *scored, double *mae, double *median_ae)
{
    if (m >= b->n_rows) return;
    if (scored) *scored = b->models[m].scored;
    if (mae) *mae = b->models[m].fig[PARLEY_BACKTEST_MAE];
    if (median_ae) *median_ae = b->models[m].fig[PARLEY_BACKTEST_MEDIAN_AE];
}

double parley_backtest_figure_of(const parley_backtest *b, size_t m, parley_backtest_figure f)
{
    return m < b->n_rows && (unsigned)f < BT_FIGURES ? b->models[m].fig[f] : NAN;
}

size_t parley_backtest_skipped(const parley_backtest *b, size_t m, const char **why)
{
    if (m >= b->n_rows) return 0;
    if (why) *why = b->models[m].skip_why;
    return b->models[m].skipped;
}

size_t parley_backtest_issue_count(const parley_backtest *b) { return b->n_issues; }

void parley_backtest_issue(const parley_backtest *b, size_t i, size_t m, const char **id, double *forecast, double *outcome)
{
    if (i >= b->n_issues || m >= b->n_rows) return;
    if (id) *id = b->issue_ids[i];
    if (forecast) *forecast = b->forecast[i * b->n_rows + m];
    if (outcome) *outcome = b->outcome[i];
}

double parley_backtest_issue_crps(const parley_backtest *b, size_t i, size_t m, int *covered50, int *covered80)
{
    if (i >= b->n_issues || m >= b->n_rows) return NAN;
    size_t c = i * b->n_rows + m;
    if (covered50) *covered50 = b->cov50[c];
    if (covered80) *covered80 = b->cov80[c];
    return b->crps[c];
}

bool parley_backtest_issue_source(const parley_backtest *b, size_t i, size_t m, const parley_result **r, size_t *run,
                                  size_t *issue)
{
    if (i >= b->n_issues || m >= b->n_models) return false;
    bool cv = b->models[m].refitted && b->fold_of[i] != SIZE_MAX;
    if (r) *r = cv ? b->cv_result : b->result;
    if (run) *run = cv ? b->folds[b->fold_of[i]].run : m;
    if (issue) *issue = b->issues[i];
    return true;
}

size_t parley_backtest_compromise_row(const parley_backtest *b) { return b->compromise; }
size_t parley_backtest_paired(const parley_backtest *b, size_t m) { return m < b->n_rows ? b->models[m].paired : 0; }
unsigned parley_backtest_resamples(const parley_backtest *b) { return b->resamples; }
size_t parley_backtest_group_count(const parley_backtest *b) { return b->n_groups; }
size_t parley_backtest_issue_group(const parley_backtest *b, size_t i) { return i < b->n_issues ? b->group[i] : SIZE_MAX; }

size_t parley_backtest_cell_count(const parley_backtest *b) { return b->n_cells; }

bool parley_backtest_cell(const parley_backtest *b, size_t c, const char **attribute, const char **value, size_t *issues)
{
    if (c >= b->n_cells) return false;
    if (attribute) *attribute = b->cells[c].attr;
    if (value) *value = b->cells[c].value;
    if (issues) *issues = b->cells[c].issues;
    return true;
}

double parley_backtest_cell_mae(const parley_backtest *b, size_t c, size_t m, size_t *scored)
{
    if (c >= b->n_cells || m >= b->n_rows) return NAN;
    if (scored) *scored = b->cells[c].scored[m];
    return b->cells[c].mae[m];
}

parley_backtest_cv parley_backtest_cv_mode(const parley_backtest *b) { return b->cv; }
size_t parley_backtest_fold_count(const parley_backtest *b) { return b->n_folds; }

bool parley_backtest_fold(const parley_backtest *b, size_t k, const char **proposal, size_t *issues, const char **params)
{
    if (k >= b->n_folds) return false;
    if (proposal) *proposal = b->folds[k].proposal;
    if (issues) *issues = b->folds[k].issues;
    if (params) *params = b->folds[k].params;
    return true;
}

const char *parley_backtest_model_label(const parley_backtest *b, size_t m)
{
    return m < b->n_rows ? b->models[m].name : NULL;
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
