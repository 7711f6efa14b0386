/* read_genius.c - GENIUS / ANAC negotiations (a domain XML file and one profile XML file per party), parsed
 * by expat; every fault names the file, line and column. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sys/stat.h>

#include "../core/sha256.h"
#include "reader.h"

#define GENIUS_DEFAULT_GRID 31u
#define GENIUS_MAX_GRID 1000000u
#define GENIUS_MAX_DEPTH 64
#define GENIUS_MAX_PROFILES 1000u

/* ---- a small document tree: the files are small, and a tree lets the rules below read like the format ---- */

typedef struct xn {
    char *name;
    char **attrs; /* name, value, ..., NULL */
    size_t parent, next, first, last; /* indices into the document's nodes; SIZE_MAX = none */
    int line, column;
} xn;

typedef struct xdoc {
    xn *n;
    size_t len, cap, cur; /* cur: the open element (SIZE_MAX at the top) */
    int depth;
    bool nomem, too_deep;
    XML_Parser p;
} xdoc;

static void xdoc_free(xdoc *d)
{
    for (size_t i = 0; i < d->len; i++) {
        free(d->n[i].name);
        for (char **a = d->n[i].attrs; a && *a; a++) free(*a);
        free(d->n[i].attrs);
    }
    free(d->n);
    memset(d, 0, sizeof *d);
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    xdoc *d = ud;
    if (d->nomem || d->too_deep) return;
    if (++d->depth > GENIUS_MAX_DEPTH) {
        d->too_deep = true;
        XML_StopParser(d->p, XML_FALSE);
        return;
    }
    if (!pu_grow((void **)&d->n, &d->cap, d->len + 1, sizeof *d->n)) {
        d->nomem = true;
        XML_StopParser(d->p, XML_FALSE);
        return;
    }
    size_t me = d->len++;
    xn *x = &d->n[me];
    memset(x, 0, sizeof *x);
    x->parent = d->cur, x->next = x->first = x->last = SIZE_MAX;
    x->line = (int)XML_GetCurrentLineNumber(d->p);
    x->column = (int)XML_GetCurrentColumnNumber(d->p) + 1;
    size_t na = 0;
    while (attrs[na]) na++;
    x->name = pu_strdup(name);
    x->attrs = calloc(na + 1, sizeof *x->attrs);
    bool ok = x->name && x->attrs;
    for (size_t i = 0; ok && i < na; i++) ok = (x->attrs[i] = pu_strdup(attrs[i])) != NULL;
    if (!ok) {
        d->nomem = true;
        XML_StopParser(d->p, XML_FALSE);
        return;
    }
    if (d->cur != SIZE_MAX) {
        xn *par = &d->n[d->cur];
        if (par->last == SIZE_MAX) par->first = me;
        else d->n[par->last].next = me;
        par->last = me;
    }
    d->cur = me;
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    xdoc *d = ud;
    (void)name;
    if (d->nomem || d->too_deep) return;
    d->depth--;
    if (d->cur != SIZE_MAX) d->cur = d->n[d->cur].parent;
}

/* Parses data into d. Returns false after reporting (file, line, column) a fault. */
static bool xml_parse(const char *data, size_t len, const char *file, xdoc *d, parley_error *err)
{
    memset(d, 0, sizeof *d);
    d->cur = SIZE_MAX;
    if (len > PARLEY_MAX_FILE_BYTES) {
        PERR(err, PARLEY_E_LIMIT, file, 0, 0, NULL, "the file is %zu bytes, over the limit of %u bytes (64 MiB)", len,
             PARLEY_MAX_FILE_BYTES);
        return false;
    }
    XML_Parser p = XML_ParserCreate(NULL);
    if (!p) {
        PERR(err, PARLEY_E_NOMEM, file, 0, 0, NULL, "out of memory");
        return false;
    }
    d->p = p;
    /* No DTD may pull in other files or define entities that expand: a profile is plain data. */
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
    XML_SetUserData(p, d);
    XML_SetElementHandler(p, on_start, on_end);
    /* One call with the whole text: expat takes an int length, and the files are under 64 MiB. */
    enum XML_Status st = XML_Parse(p, data, (int)len, XML_TRUE);
    bool ok = st == XML_STATUS_OK && !d->nomem && !d->too_deep;
    if (!ok) {
        int line = (int)XML_GetCurrentLineNumber(p), col = (int)XML_GetCurrentColumnNumber(p) + 1;
        if (d->nomem) PERR(err, PARLEY_E_NOMEM, file, line, col, NULL, "out of memory");
        else if (d->too_deep)
            PERR(err, PARLEY_E_LIMIT, file, line, col, NULL, "elements nested deeper than %d levels", GENIUS_MAX_DEPTH);
        else
            PERR(err, PARLEY_E_SYNTAX, file, line, col, NULL, "invalid XML: %s", XML_ErrorString(XML_GetErrorCode(p)));
    } else if (d->len == 0) {
        PERR(err, PARLEY_E_SYNTAX, file, 1, 1, NULL, "expected a GENIUS <utility_space> or <negotiation_template>, found no element");
        ok = false;
    }
    XML_ParserFree(p);
    d->p = NULL;
    if (!ok) xdoc_free(d);
    return ok;
}

static const char *xattr(const xn *x, const char *name)
{
    for (char **a = x->attrs; a && a[0] && a[1]; a += 2)
        if (!strcmp(a[0], name)) return a[1];
    return NULL;
}

/* ---- reading the format ---- */

typedef enum gkind { GK_DISCRETE, GK_INTEGER, GK_REAL } gkind;

typedef struct gissue {
    long index;
    const char *name;
    gkind kind;
    double low, high;
    size_t item0, n_items; /* the domain's items: nodes of the domain tree */
    const xn *node;
} gissue;

typedef struct gctx {
    parley_error *err;
    const char *file; /* the file being interpreted, for messages */
    const xdoc *d;
} gctx;

#define GERR(g, x, field, ...) PERR((g)->err, PARLEY_E_INVALID, (g)->file, (x) ? (x)->line : 0, (x) ? (x)->column : 0, field, __VA_ARGS__)

/* Parses attribute name of x as a number; reports a missing or bad one. */
static bool num_attr(gctx *g, const xn *x, const char *name, double *out)
{
    const char *v = xattr(x, name);
    if (!v) {
        GERR(g, x, name, "<%s>: expected an attribute %s, found none", x->name, name);
        return false;
    }
    size_t n = strlen(v);
    while (n && isspace((unsigned char)v[n - 1])) n--;
    while (n && isspace((unsigned char)*v)) v++, n--;
    if (!pu_parse_double(v, n, false, out) || !isfinite(*out)) {
        GERR(g, x, name, "<%s>: expected a number in %s, found \"%.40s\"", x->name, name, v);
        return false;
    }
    return true;
}

static bool index_attr(gctx *g, const xn *x, long *out)
{
    double v;
    if (!num_attr(g, x, "index", &v)) return false;
    if (v != floor(v) || fabs(v) > 1e9) {
        GERR(g, x, "index", "<%s>: expected a whole number in index, found %g", x->name, v);
        return false;
    }
    *out = (long)v;
    return true;
}

static bool named(const xn *x, const char *name) { return !strcmp(x->name, name); }

/* The type of an issue: its type, etype or vtype attribute. */
static const char *issue_type(const xn *x)
{
    const char *t = xattr(x, "type");
    if (!t) t = xattr(x, "etype");
    if (!t) t = xattr(x, "vtype");
    return t;
}

/* Reads the domain's issues (every <issue> element, in file order) into *out. */
static bool read_domain(gctx *g, gissue **out, size_t *n_out)
{
    const xdoc *d = g->d;
    gissue *v = NULL;
    size_t n = 0, cap = 0;
    bool ok = true;
    for (size_t i = 0; i < d->len; i++) {
        const xn *x = &d->n[i];
        if (!named(x, "issue")) continue;
        if (!pu_grow((void **)&v, &cap, n + 1, sizeof *v)) {
            PERR(g->err, PARLEY_E_NOMEM, g->file, x->line, x->column, NULL, "out of memory");
            free(v);
            return false;
        }
        gissue *is = &v[n];
        memset(is, 0, sizeof *is);
        is->node = x;
        if (!index_attr(g, x, &is->index)) ok = false;
        is->name = xattr(x, "name");
        if (!is->name) ok = false, GERR(g, x, "name", "<issue>: expected an attribute name, found none");
        const char *t = issue_type(x);
        if (!t) {
            GERR(g, x, "type", "<issue>: expected a type (discrete, integer or real), found none");
            ok = false;
            continue;
        }
        for (size_t j = 0; j < n; j++)
            if (v[j].index == is->index) {
                GERR(g, x, "index", "issue index %ld appears twice (first on line %d)", is->index, v[j].node->line);
                ok = false;
            }
        if (!strcmp(t, "discrete")) {
            is->kind = GK_DISCRETE;
            for (size_t c = x->first; c != SIZE_MAX; c = d->n[c].next)
                if (named(&d->n[c], "item")) {
                    if (!xattr(&d->n[c], "value")) {
                        GERR(g, &d->n[c], "value", "<item>: expected an attribute value, found none");
                        ok = false;
                    }
                    is->n_items++;
                }
            if (!is->n_items) GERR(g, x, "item", "discrete issue \"%s\": expected <item value=\"...\"> elements, found none", is->name ? is->name : ""), ok = false;
        } else if (!strcmp(t, "integer")) {
            is->kind = GK_INTEGER;
            if (!num_attr(g, x, "lowerbound", &is->low) || !num_attr(g, x, "upperbound", &is->high)) ok = false;
            else if (is->low != floor(is->low) || is->high != floor(is->high) || is->low > is->high)
                GERR(g, x, "lowerbound", "integer issue \"%s\": expected whole bounds with lowerbound <= upperbound, found %g and %g",
                     is->name ? is->name : "", is->low, is->high), ok = false;
        } else if (!strcmp(t, "real")) {
            is->kind = GK_REAL;
            const xn *r = NULL;
            for (size_t c = x->first; c != SIZE_MAX && !r; c = d->n[c].next)
                if (named(&d->n[c], "range")) r = &d->n[c];
            if (!r) GERR(g, x, "range", "real issue \"%s\": expected a <range lowerbound=\"..\" upperbound=\"..\">, found none", is->name ? is->name : ""), ok = false;
            else if (!num_attr(g, r, "lowerbound", &is->low) || !num_attr(g, r, "upperbound", &is->high)) ok = false;
            else if (is->low > is->high)
                GERR(g, r, "lowerbound", "real issue \"%s\": expected lowerbound <= upperbound, found %g > %g", is->name ? is->name : "",
                     is->low, is->high), ok = false;
        } else {
            GERR(g, x, "type", "issue \"%s\": expected the type discrete, integer or real, found \"%s\"", is->name ? is->name : "", t);
            ok = false;
        }
        n++;
    }
    if (ok && n == 0) {
        GERR(g, d->len ? &d->n[0] : NULL, "issue", "expected <issue> elements in the domain's <objective>, found none");
        ok = false;
    }
    *out = v, *n_out = n;
    return ok;
}

/* The i-th <item> child of a discrete issue's node. */
static const xn *nth_item(const xdoc *d, const xn *issue, size_t i)
{
    for (size_t c = issue->first; c != SIZE_MAX; c = d->n[c].next)
        if (named(&d->n[c], "item") && i-- == 0) return &d->n[c];
    return NULL;
}

/* Fills actor a's stances from one profile: evaluations, weights (as written), reservation, discount. */
static bool read_profile(gctx *g, parley_scenario *s, size_t a, const gissue *gi, size_t ni, const xdoc *dom)
{
    const xdoc *d = g->d;
    bool ok = true;
    pactor *act = &s->actors[a];
    const xn **pis = calloc(ni ? ni : 1, sizeof *pis), **wts = calloc(ni ? ni : 1, sizeof *wts);
    if (!pis || !wts) {
        free(pis), free(wts);
        PERR(g->err, PARLEY_E_NOMEM, g->file, 0, 0, NULL, "out of memory");
        return false;
    }
    for (size_t i = 0; i < d->len; i++) {
        const xn *x = &d->n[i];
        bool is_issue = named(x, "issue"), is_weight = named(x, "weight");
        if (named(x, "reservation") || named(x, "discount_factor")) {
            double v;
            if (!num_attr(g, x, "value", &v)) {
                ok = false;
            } else if (named(x, "reservation")) {
                if (!(v >= 0 && v <= 1)) GERR(g, x, "reservation", "expected a reservation value in [0, 1], found %g", v), ok = false;
                act->reservation.v = v;
            } else {
                if (!(v > 0 && v <= 1)) GERR(g, x, "discount_factor", "expected a discount factor in (0, 1], found %g", v), ok = false;
                act->discount = v;
            }
            continue;
        }
        if (!is_issue && !is_weight) continue;
        long idx;
        if (!index_attr(g, x, &idx)) {
            ok = false;
            continue;
        }
        size_t k = 0;
        while (k < ni && gi[k].index != idx) k++;
        if (k == ni) {
            GERR(g, x, "index", "<%s index=\"%ld\">: the domain has no issue with this index", x->name, idx);
            ok = false;
        } else if (is_issue ? pis[k] != NULL : wts[k] != NULL) {
            GERR(g, x, "index", "<%s index=\"%ld\"> appears twice (first on line %d)", x->name, idx, (is_issue ? pis[k] : wts[k])->line);
            ok = false;
        } else if (is_issue) {
            pis[k] = x;
        } else {
            wts[k] = x;
        }
    }
    for (size_t k = 0; k < ni; k++) {
        const gissue *is = &gi[k];
        const xn *root = d->len ? &d->n[0] : NULL;
        if (!pis[k] || !wts[k]) {
            GERR(g, root, pis[k] ? "weight" : "issue", "expected %s for issue \"%s\" (index %ld), found none",
                 pis[k] ? "a <weight>" : "an <issue> with its evaluation", is->name, is->index);
            ok = false;
            continue;
        }
        double w;
        if (!num_attr(g, wts[k], "value", &w)) {
            ok = false;
            continue;
        }
        if (!(w >= 0 && w <= 1)) {
            GERR(g, wts[k], "weight", "issue \"%s\": expected a weight in [0, 1], found %g", is->name, w);
            ok = false;
            continue;
        }
        pstance *st = rd_stance(&(rd_ctx){.s = s, .err = g->err, .file = g->file}, pis[k]->line, pis[k]->column);
        if (!st) {
            ok = false;
            break;
        }
        st->actor = a, st->issue = k;
        st->salience.v = w;
        st->loc = (ploc){wts[k]->line, wts[k]->column};
        st->col_position = pis[k]->column;
        if (is->kind == GK_DISCRETE) {
            if (!sc_stance_evals(st, is->n_items)) {
                PERR(g->err, PARLEY_E_NOMEM, g->file, 0, 0, NULL, "out of memory");
                ok = false;
                break;
            }
            /* Each domain item's evaluation, found by its value text; then GENIUS's normalisation
             * (EvaluatorDiscrete): every evaluation divided by the issue's largest, all 0 when that is
             * below 1e-5. */
            double max = 0;
            for (size_t j = 0; j < is->n_items; j++) {
                const char *value = xattr(nth_item(dom, is->node, j), "value");
                const xn *found = NULL;
                for (size_t c = pis[k]->first; c != SIZE_MAX && !found; c = d->n[c].next) {
                    const char *pv = named(&d->n[c], "item") ? xattr(&d->n[c], "value") : NULL;
                    if (pv && value && !strcmp(pv, value)) found = &d->n[c];
                }
                if (!found) {
                    GERR(g, pis[k], "item", "issue \"%s\": expected an <item value=\"%s\" evaluation=\"..\">, found none", is->name,
                         value ? value : "");
                    ok = false;
                    continue;
                }
                double e;
                if (!num_attr(g, found, "evaluation", &e)) {
                    ok = false;
                    continue;
                }
                if (e < 0) {
                    GERR(g, found, "evaluation", "issue \"%s\", item \"%s\": expected an evaluation >= 0, found %g", is->name, value, e);
                    ok = false;
                    continue;
                }
                st->evals[j] = e;
                if (e > max) max = e;
            }
            for (size_t j = 0; j < is->n_items; j++)
                if (!isnan(st->evals[j])) st->evals[j] = max < 1e-5 ? 0 : st->evals[j] / max;
            for (size_t c = pis[k]->first; c != SIZE_MAX; c = d->n[c].next) {
                const char *pv = named(&d->n[c], "item") ? xattr(&d->n[c], "value") : NULL;
                bool known = false;
                for (size_t j = 0; pv && j < is->n_items && !known; j++) {
                    const char *value = xattr(nth_item(dom, is->node, j), "value");
                    known = value && !strcmp(value, pv);
                }
                if (pv && !known) {
                    GERR(g, &d->n[c], "value", "issue \"%s\": the domain has no item \"%s\"", is->name, pv);
                    ok = false;
                }
            }
            continue;
        }
        const xn *ev = NULL;
        for (size_t c = pis[k]->first; c != SIZE_MAX && !ev; c = d->n[c].next)
            if (named(&d->n[c], "evaluator")) ev = &d->n[c];
        if (!ev) {
            GERR(g, pis[k], "evaluator", "%s issue \"%s\": expected an <evaluator ftype=\"linear\" ...>, found none",
                 is->kind == GK_INTEGER ? "integer" : "real", is->name);
            ok = false;
            continue;
        }
        const char *ft = xattr(ev, "ftype");
        if (!ft || strcmp(ft, "linear")) {
            GERR(g, ev, "ftype", "%s issue \"%s\": expected a linear evaluator (ftype=\"linear\"), found %s%s%s",
                 is->kind == GK_INTEGER ? "integer" : "real", is->name, ft ? "\"" : "none", ft ? ft : "", ft ? "\"" : "");
            ok = false;
            continue;
        }
        /* GENIUS's two linear evaluators differ: EvaluatorInteger counts from the lower bound (slope,
         * offset), EvaluatorReal from 0 (parameter1 the slope, parameter0 the offset). */
        double slope, offset;
        bool integer = is->kind == GK_INTEGER;
        if (!num_attr(g, ev, integer ? "slope" : "parameter1", &slope) || !num_attr(g, ev, integer ? "offset" : "parameter0", &offset)) {
            ok = false;
            continue;
        }
        st->linear = true;
        st->slope = slope, st->offset = offset, st->origin = integer ? is->low : 0;
        /* The ideal end, for the models that read a position. */
        double at_low = fmin(1, fmax(0, slope * (is->low - st->origin) + offset));
        double at_high = fmin(1, fmax(0, slope * (is->high - st->origin) + offset));
        st->position.v = at_high > at_low ? is->high : is->low;
    }
    free(pis), free(wts);
    return ok;
}

/* The base name of path without a final ".xml" (any case), malloc'd. */
static char *actor_id_of(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 4 && !strcasecmp(base + n - 4, ".xml")) n -= 4;
    return pu_strndup(base, n);
}

typedef struct gfile {
    const char *data;
    size_t len;
    const char *name;
} gfile;

/* Builds the scenario from parsed documents (the domain, then one per profile). */
static parley_status build(const gfile *files, const xdoc *docs, size_t n_profiles, size_t real_grid,
                           parley_scenario **out, parley_error *err)
{
    size_t before = parley_error_errors(err);
    size_t grid = real_grid ? real_grid : GENIUS_DEFAULT_GRID;
    if (grid < 2 || grid > GENIUS_MAX_GRID)
        return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "real_grid", "expected a real_grid from 2 to %u points, found %zu",
                    GENIUS_MAX_GRID, grid);
    gctx g = {err, files[0].name, &docs[0]};
    gissue *gi = NULL;
    size_t ni = 0;
    if (!read_domain(&g, &gi, &ni)) {
        free(gi);
        return parley_error_status(err);
    }
    parley_scenario *s = parley_scenario_new();
    if (!s) {
        free(gi);
        return PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    bool ok = true;
    parley_status st = PARLEY_OK;
    /* The scenario's name: the objective's, unless it is GENIUS's placeholder "root". */
    for (size_t i = 0; i < docs[0].len; i++)
        if (named(&docs[0].n[i], "objective")) {
            const char *nm = xattr(&docs[0].n[i], "name");
            if (nm && *nm && strcmp(nm, "root")) ok &= sc_set_str(&s->name, nm);
            break;
        }
    if (!s->name) {
        char *base = actor_id_of(files[0].name);
        ok &= base && sc_set_str(&s->name, base);
        free(base);
    }
    for (size_t k = 0; k < ni && ok; k++) {
        pissue *is = sc_new_issue(s, &st);
        if (!is) {
            ok = false;
            break;
        }
        is->loc = (ploc){gi[k].node->line, gi[k].node->column};
        ok &= sc_set_str(&is->id, gi[k].name) && sc_set_str(&is->label, gi[k].name);
        if (gi[k].kind == GK_DISCRETE) {
            for (size_t j = 0; j < gi[k].n_items && ok; j++) ok = sc_issue_add_option(is, xattr(nth_item(&docs[0], gi[k].node, j), "value"));
        } else {
            is->low.v = gi[k].low, is->high.v = gi[k].high;
            is->integer = gi[k].kind == GK_INTEGER;
            if (!is->integer) is->grid = grid;
        }
    }
    for (size_t p = 0; p < n_profiles && ok; p++) {
        pactor *a = sc_new_actor(s, &st);
        if (!a) {
            ok = false;
            break;
        }
        a->id = actor_id_of(files[p + 1].name);
        a->weights_as_written = true;
        a->capability.v = 1;
        a->loc = (ploc){docs[p + 1].n[0].line, docs[p + 1].n[0].column};
        if (!a->id) {
            ok = false;
            break;
        }
        gctx pg = {err, files[p + 1].name, &docs[p + 1]};
        read_profile(&pg, s, s->n_actors - 1, gi, ni, &docs[0]);
    }
    free(gi);
    if (!ok) {
        parley_scenario_free(s);
        if (st == PARLEY_E_LIMIT) return PERR(err, st, files[0].name, 0, 0, NULL, "more issues or actors than the limits");
        return PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    if (parley_error_errors(err) != before) {
        parley_scenario_free(s);
        return parley_error_status(err);
    }
    /* Provenance: the domain's path, and the SHA-256 of every file's bytes in reading order. */
    pu_buf all = {0};
    for (size_t f = 0; f <= n_profiles; f++) pu_buf_append(&all, files[f].data, files[f].len);
    sha256_hex(all.data ? all.data : "", all.len, s->sha256);
    pu_buf_free(&all);
    s->source = pu_strdup(files[0].name);
    s->format = pu_strdup("genius");
    pu_buf src = {0};
    pu_buf_printf(&src, "GENIUS domain %s with profiles", files[0].name);
    for (size_t p = 0; p < n_profiles; p++) pu_buf_printf(&src, "%s %s", p ? "," : "", files[p + 1].name);
    if (src.data) sc_add_source(s, src.data);
    pu_buf_free(&src);
    /* The files' own errors name the file; what finalize finds (duplicate issue names, weights out of
     * [0, 1], reservations out of range) names the domain, or the profile through the actor's place. */
    st = parley_scenario_finalize(s, err);
    if (st != PARLEY_OK) {
        parley_scenario_free(s);
        return st;
    }
    *out = s;
    return PARLEY_OK;
}

parley_status parley_read_genius_buffers(const char *domain, size_t domain_len, const char *domain_name,
                                         const char *const *profiles, const size_t *profile_lens,
                                         const char *const *profile_names, size_t n_profiles,
                                         size_t real_grid, parley_scenario **out, parley_error *err)
{
    *out = NULL;
    parley_error *own = err ? NULL : parley_error_new();
    if (!err && !own) return PARLEY_E_NOMEM;
    if (!err) err = own;
    parley_status st = PARLEY_OK;
    if (n_profiles == 0) {
        st = PERR(err, PARLEY_E_USAGE, domain_name, 0, 0, NULL,
                  "a GENIUS domain needs one profile file per party: expected DOMAIN.xml PROFILE.xml..., found the domain alone");
        parley_error_free(own);
        return st;
    }
    if (n_profiles > GENIUS_MAX_PROFILES) {
        st = PERR(err, PARLEY_E_LIMIT, NULL, 0, 0, NULL, "%zu profiles, over the limit of %u", n_profiles, GENIUS_MAX_PROFILES);
        parley_error_free(own);
        return st;
    }
    gfile *files = calloc(n_profiles + 1, sizeof *files);
    xdoc *docs = calloc(n_profiles + 1, sizeof *docs);
    if (!files || !docs) {
        free(files), free(docs);
        parley_error_free(own);
        return PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    files[0] = (gfile){domain, domain_len, domain_name ? domain_name : "<domain>"};
    for (size_t p = 0; p < n_profiles; p++) files[p + 1] = (gfile){profiles[p], profile_lens[p], profile_names[p] ? profile_names[p] : "<profile>"};
    bool parsed = true;
    for (size_t f = 0; f <= n_profiles; f++) parsed &= xml_parse(files[f].data, files[f].len, files[f].name, &docs[f], err);
    st = parsed ? build(files, docs, n_profiles, real_grid, out, err) : parley_error_status(err);
    for (size_t f = 0; f <= n_profiles; f++) xdoc_free(&docs[f]);
    free(files), free(docs);
    parley_error_free(own);
    return st;
}

/* ---- files and folders ---- */

/* Reads a whole file into *buf (malloc'd). Returns false after reporting. */
static bool slurp(const char *path, char **buf, size_t *len, parley_error *err)
{
    *buf = NULL, *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        PERR(err, pu_errno_is_callers(e) ? PARLEY_E_USAGE : PARLEY_E_IO, path, 0, 0, NULL, "cannot open: %s", strerror(e));
        return false;
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fclose(f);
        PERR(err, PARLEY_E_USAGE, path, 0, 0, NULL, "cannot open: expected a file, found a folder");
        return false;
    }
    size_t cap = 0;
    for (;;) {
        if (!pu_grow((void **)buf, &cap, *len + 65536, 1)) {
            fclose(f);
            free(*buf), *buf = NULL;
            PERR(err, PARLEY_E_NOMEM, path, 0, 0, NULL, "out of memory");
            return false;
        }
        size_t n = fread(*buf + *len, 1, cap - *len, f);
        *len += n;
        if (n == 0 || *len > PARLEY_MAX_FILE_BYTES) break;
    }
    bool failed = ferror(f);
    int e = errno;
    fclose(f);
    if (failed) {
        free(*buf), *buf = NULL;
        PERR(err, PARLEY_E_IO, path, 0, 0, NULL, "read error: %s", strerror(e));
        return false;
    }
    if (*len > PARLEY_MAX_FILE_BYTES) {
        free(*buf), *buf = NULL;
        PERR(err, PARLEY_E_LIMIT, path, 0, 0, NULL, "the file is larger than the limit of %u bytes (64 MiB)", PARLEY_MAX_FILE_BYTES);
        return false;
    }
    return true;
}

/* Reads the files at paths (the domain first) as one GENIUS negotiation. */
static parley_status read_paths(const char *const *paths, size_t n, size_t real_grid, parley_scenario **out,
                                parley_error *err)
{
    char **bufs = calloc(n, sizeof *bufs);
    size_t *lens = calloc(n, sizeof *lens);
    if (!bufs || !lens) {
        free(bufs), free(lens);
        return PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    bool ok = true;
    for (size_t i = 0; i < n; i++) ok &= slurp(paths[i], &bufs[i], &lens[i], err);
    parley_status st = ok ? parley_read_genius_buffers(bufs[0], lens[0], paths[0], (const char *const *)bufs + 1, lens + 1,
                                                       paths + 1, n - 1, real_grid, out, err)
                          : parley_error_status(err);
    for (size_t i = 0; i < n; i++) free(bufs[i]);
    free(bufs), free(lens);
    return st;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Whether the XML text holds a <weight> element: profiles weigh their issues, domains do not. A file
 * that does not parse is left to the reader, which reports it. */
static bool looks_like_profile(const char *data, size_t len)
{
    xdoc d;
    parley_error *quiet = parley_error_new();
    bool profile = false;
    if (quiet && xml_parse(data, len, "", &d, quiet)) {
        for (size_t i = 0; i < d.len && !profile; i++) profile = named(&d.n[i], "weight");
        xdoc_free(&d);
    } else {
        profile = true; /* reported when read as a profile */
    }
    parley_error_free(quiet);
    return profile;
}

/* Reads a folder: its *.xml files, one domain (the file without <weight> elements) and the profiles in
 * name order. */
static parley_status read_folder(const char *dir, size_t real_grid, parley_scenario **out, parley_error *err)
{
    DIR *dp = opendir(dir);
    if (!dp) {
        int e = errno;
        return PERR(err, pu_errno_is_callers(e) ? PARLEY_E_USAGE : PARLEY_E_IO, dir, 0, 0, NULL, "cannot open the folder: %s", strerror(e));
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    bool ok = true;
    struct dirent *e;
    while ((e = readdir(dp)) && ok) {
        size_t l = strlen(e->d_name);
        if (l <= 4 || strcasecmp(e->d_name + l - 4, ".xml") || e->d_name[0] == '.') continue;
        if (n >= GENIUS_MAX_PROFILES + 1 || !pu_grow((void **)&names, &cap, n + 1, sizeof *names)) {
            ok = false;
            break;
        }
        bool slash = dir[0] && dir[strlen(dir) - 1] == '/';
        if (!(names[n] = pu_asprintf("%s%s%s", dir, slash ? "" : "/", e->d_name))) ok = false;
        else n++;
    }
    closedir(dp);
    parley_status st = PARLEY_OK;
    if (!ok) st = n > GENIUS_MAX_PROFILES ? PERR(err, PARLEY_E_LIMIT, dir, 0, 0, NULL, "more than %u XML files", GENIUS_MAX_PROFILES + 1)
                                          : PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    else if (n == 0)
        st = PERR(err, PARLEY_E_USAGE, dir, 0, 0, NULL, "expected a GENIUS domain and its profiles (*.xml files) in the folder, found none");
    if (st == PARLEY_OK) {
        qsort(names, n, sizeof *names, by_name);
        size_t domain = SIZE_MAX, domains = 0;
        for (size_t i = 0; i < n && st == PARLEY_OK; i++) {
            char *buf;
            size_t len;
            if (!slurp(names[i], &buf, &len, err)) {
                st = parley_error_status(err);
                break;
            }
            if (!looks_like_profile(buf, len)) {
                if (!domains++) domain = i;
            }
            free(buf);
        }
        if (st == PARLEY_OK && domains != 1)
            st = PERR(err, PARLEY_E_USAGE, dir, 0, 0, NULL,
                      "expected exactly one domain file (an XML file without <weight> elements) in the folder, found %zu; "
                      "name the files instead: DOMAIN.xml PROFILE.xml...", domains);
        if (st == PARLEY_OK) {
            const char **order = malloc(n * sizeof *order);
            if (!order) {
                st = PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
            } else {
                size_t m = 0;
                order[m++] = names[domain];
                for (size_t i = 0; i < n; i++)
                    if (i != domain) order[m++] = names[i];
                st = read_paths(order, n, real_grid, out, err);
                free(order);
            }
        }
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return st;
}

parley_status parley_read_files(const char *const *paths, size_t n, const parley_read_options *o, size_t real_grid,
                                parley_scenario **out, parley_error *err)
{
    *out = NULL;
    if (n == 0) return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, NULL, "expected an input file, found none");
    struct stat sb;
    bool folder = strcmp(paths[0], "-") && stat(paths[0], &sb) == 0 && S_ISDIR(sb.st_mode);
    if (n == 1 && folder) return read_folder(paths[0], real_grid, out, err);
    if (n == 1) return parley_read_file(paths[0], o, out, err);
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(paths[i]);
        if (l <= 4 || strcasecmp(paths[i] + l - 4, ".xml"))
            return PERR(err, PARLEY_E_USAGE, paths[i], 0, 0, NULL,
                        "several inputs are read as one GENIUS negotiation (DOMAIN.xml PROFILE.xml...): expected an .xml file");
    }
    return read_paths(paths, n, real_grid, out, err);
}
