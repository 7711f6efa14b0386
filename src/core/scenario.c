/* scenario.c - building, validating and reading a scenario. */
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error_internal.h"
#include "scenario_internal.h"

pnum pnum_none(void)
{
    return (pnum){NAN, NULL, {PARLEY_DIST_NONE, NAN, NAN, NAN}};
}

bool pnum_has(pnum n)
{
    return !isnan(n.v);
}

parley_scenario *parley_scenario_new(void)
{
    return calloc(1, sizeof(parley_scenario));
}

static void pnum_free(pnum *n)
{
    free(n->why);
    n->why = NULL;
}

void parley_scenario_free(parley_scenario *s)
{
    if (!s) return;
    free(s->name), free(s->description), free(s->date), free(s->notes), free(s->models);
    for (size_t i = 0; i < s->n_sources; i++) free(s->sources[i]);
    free(s->sources);
    for (size_t i = 0; i < s->n_actors; i++) {
        pactor *a = &s->actors[i];
        free(a->id), free(a->name), free(a->description), free(a->strategy);
        pnum_free(&a->capability), pnum_free(&a->reservation);
    }
    free(s->actors);
    for (size_t i = 0; i < s->n_issues; i++) {
        pissue *is = &s->issues[i];
        free(is->id), free(is->label), free(is->description), free(is->date);
        free(is->low_label), free(is->high_label);
        pnum_free(&is->low), pnum_free(&is->high), pnum_free(&is->reference), pnum_free(&is->outcome);
        for (size_t k = 0; k < is->n_attrs; k++) free(is->attrs[k].key), free(is->attrs[k].value);
        free(is->attrs);
        for (size_t k = 0; k < is->n_options; k++) free(is->options[k]);
        free(is->options);
    }
    free(s->issues);
    for (size_t v = 0; v < s->n_variants; v++) {
        pvariant *pv = &s->variants[v];
        free(pv->id), free(pv->name), free(pv->description);
        for (size_t c = 0; c < pv->n_changes; c++) {
            pchange *ch = &pv->changes[c];
            free(ch->target), free(ch->add_id), free(ch->add_name);
            for (size_t k = 0; k < ch->n_stances; k++) free(ch->stances[k].issue);
            free(ch->stances);
        }
        free(pv->changes);
    }
    free(s->variants);
    free(s->shocks);
    for (size_t i = 0; i < s->n_stances; i++) {
        pstance *st = &s->stances[i];
        pnum_free(&st->position), pnum_free(&st->salience), pnum_free(&st->capability);
        free(st->evals);
    }
    free(s->stances);
    free(s->by_issue), free(s->issue_start), free(s->by_actor), free(s->actor_start);
    free(s->dense_at), free(s->cells);
    pu_map_free(&s->actor_ids);
    pu_map_free(&s->issue_ids);
    free(s->source), free(s->format);
    free(s);
}

bool sc_set_str(char **field, const char *value)
{
    char *copy = NULL;
    if (value && !(copy = pu_strdup(value))) return false;
    free(*field);
    *field = copy;
    return true;
}

bool sc_add_source(parley_scenario *s, const char *text)
{
    if (!pu_grow((void **)&s->sources, &s->cap_sources, s->n_sources + 1, sizeof(char *))) return false;
    char *c = pu_strdup(text);
    if (!c) return false;
    s->sources[s->n_sources++] = c;
    return true;
}

bool sc_issue_add_attr(pissue *is, const char *key, const char *value)
{
    if (!pu_grow((void **)&is->attrs, &is->cap_attrs, is->n_attrs + 1, sizeof(pkv))) return false;
    pkv kv = {pu_strdup(key), pu_strdup(value)};
    if (!kv.key || !kv.value) {
        free(kv.key), free(kv.value);
        return false;
    }
    is->attrs[is->n_attrs++] = kv;
    return true;
}

bool sc_issue_add_option(pissue *is, const char *option)
{
    /* Grown one at a time: an issue holds a handful of options, and the limit is checked by the readers. */
    char **grown = realloc(is->options, (is->n_options + 1) * sizeof *grown);
    if (!grown) return false;
    is->options = grown;
    if (!(grown[is->n_options] = pu_strdup(option))) return false;
    is->n_options++;
    return true;
}

size_t sc_option_index(const pissue *is, const char *text)
{
    for (size_t j = 0; j < is->n_options; j++)
        if (!strcmp(is->options[j], text)) return j;
    return SIZE_MAX;
}

bool sc_stance_evals(pstance *st, size_t n_options)
{
    free(st->evals);
    st->evals = malloc((n_options ? n_options : 1) * sizeof *st->evals);
    if (!st->evals) return false;
    for (size_t j = 0; j < n_options; j++) st->evals[j] = NAN;
    return true;
}

pactor *sc_new_actor(parley_scenario *s, parley_status *status)
{
    if (s->n_actors >= PARLEY_MAX_ACTORS) return *status = PARLEY_E_LIMIT, NULL;
    if (!pu_grow((void **)&s->actors, &s->cap_actors, s->n_actors + 1, sizeof(pactor)))
        return *status = PARLEY_E_NOMEM, NULL;
    pactor *a = &s->actors[s->n_actors++];
    memset(a, 0, sizeof *a);
    a->capability = a->reservation = pnum_none();
    a->discount = NAN;
    return a;
}

pissue *sc_new_issue(parley_scenario *s, parley_status *status)
{
    if (s->n_issues >= PARLEY_MAX_ISSUES) return *status = PARLEY_E_LIMIT, NULL;
    if (!pu_grow((void **)&s->issues, &s->cap_issues, s->n_issues + 1, sizeof(pissue)))
        return *status = PARLEY_E_NOMEM, NULL;
    pissue *is = &s->issues[s->n_issues++];
    memset(is, 0, sizeof *is);
    is->low = is->high = is->reference = is->outcome = pnum_none();
    return is;
}

pstance *sc_new_stance(parley_scenario *s, parley_status *status)
{
    if (s->n_stances >= PARLEY_MAX_STANCES) return *status = PARLEY_E_LIMIT, NULL;
    if (!pu_grow((void **)&s->stances, &s->cap_stances, s->n_stances + 1, sizeof(pstance)))
        return *status = PARLEY_E_NOMEM, NULL;
    pstance *st = &s->stances[s->n_stances++];
    memset(st, 0, sizeof *st);
    st->position = st->salience = st->capability = pnum_none();
    return st;
}

/* ---- public builder ---- */

parley_status parley_scenario_add_actor(parley_scenario *s, const char *id, const char *name, double capability,
                                        size_t *index)
{
    if (s->finalized) return PARLEY_E_USAGE;
    parley_status st = PARLEY_OK;
    pactor *a = sc_new_actor(s, &st);
    if (!a) return st;
    a->capability.v = capability;
    if (!sc_set_str(&a->id, id) || !sc_set_str(&a->name, name)) return PARLEY_E_NOMEM;
    if (index) *index = s->n_actors - 1;
    return PARLEY_OK;
}

parley_status parley_scenario_add_issue(parley_scenario *s, const char *id, const char *label, double low,
                                        double high, size_t *index)
{
    if (s->finalized) return PARLEY_E_USAGE;
    parley_status st = PARLEY_OK;
    pissue *is = sc_new_issue(s, &st);
    if (!is) return st;
    is->low.v = low;
    is->high.v = high;
    if (!sc_set_str(&is->id, id) || !sc_set_str(&is->label, label)) return PARLEY_E_NOMEM;
    if (index) *index = s->n_issues - 1;
    return PARLEY_OK;
}

parley_status parley_scenario_set_stance(parley_scenario *s, size_t actor, size_t issue, double position,
                                         double salience, double capability)
{
    if (s->finalized || actor >= s->n_actors || issue >= s->n_issues) return PARLEY_E_USAGE;
    parley_status status = PARLEY_OK;
    pstance *st = sc_new_stance(s, &status);
    if (!st) return status;
    st->actor = actor;
    st->issue = issue;
    st->position.v = position;
    st->salience.v = salience;
    st->capability.v = capability;
    return PARLEY_OK;
}

static char **text_slot_scenario(parley_scenario *s, parley_text f)
{
    switch (f) {
    case PARLEY_TEXT_NAME: return &s->name;
    case PARLEY_TEXT_DESCRIPTION: return &s->description;
    case PARLEY_TEXT_DATE: return &s->date;
    case PARLEY_TEXT_NOTES: return &s->notes;
    default: return NULL;
    }
}

static char **text_slot_actor(pactor *a, parley_text f)
{
    switch (f) {
    case PARLEY_TEXT_NAME: return &a->name;
    case PARLEY_TEXT_DESCRIPTION: return &a->description;
    default: return NULL;
    }
}

static char **text_slot_issue(pissue *is, parley_text f)
{
    switch (f) {
    case PARLEY_TEXT_NAME: return &is->label;
    case PARLEY_TEXT_DESCRIPTION: return &is->description;
    case PARLEY_TEXT_DATE: return &is->date;
    case PARLEY_TEXT_LOW_LABEL: return &is->low_label;
    case PARLEY_TEXT_HIGH_LABEL: return &is->high_label;
    default: return NULL;
    }
}

static parley_status set_slot(bool finalized, char **slot, const char *value)
{
    if (finalized || !slot) return PARLEY_E_USAGE;
    if (value && strlen(value) > PARLEY_MAX_TEXT) return PARLEY_E_LIMIT;
    return sc_set_str(slot, value) ? PARLEY_OK : PARLEY_E_NOMEM;
}

parley_status parley_scenario_set_text(parley_scenario *s, parley_text field, const char *value)
{
    return set_slot(s->finalized, text_slot_scenario(s, field), value);
}

parley_status parley_scenario_set_actor_text(parley_scenario *s, size_t actor, parley_text field, const char *value)
{
    if (actor >= s->n_actors) return PARLEY_E_USAGE;
    return set_slot(s->finalized, text_slot_actor(&s->actors[actor], field), value);
}

parley_status parley_scenario_set_issue_text(parley_scenario *s, size_t issue, parley_text field, const char *value)
{
    if (issue >= s->n_issues) return PARLEY_E_USAGE;
    return set_slot(s->finalized, text_slot_issue(&s->issues[issue], field), value);
}

static pnum *issue_number_slot(pissue *is, parley_issue_field f)
{
    switch (f) {
    case PARLEY_ISSUE_LOW: return &is->low;
    case PARLEY_ISSUE_HIGH: return &is->high;
    case PARLEY_ISSUE_REFERENCE: return &is->reference;
    case PARLEY_ISSUE_OUTCOME: return &is->outcome;
    }
    return NULL;
}

parley_status parley_scenario_set_issue_number(parley_scenario *s, size_t issue, parley_issue_field field, double v)
{
    if (s->finalized || issue >= s->n_issues) return PARLEY_E_USAGE;
    pnum *slot = issue_number_slot(&s->issues[issue], field);
    if (!slot) return PARLEY_E_USAGE;
    slot->v = v;
    return PARLEY_OK;
}

/* ---- reading rules shared by the readers ---- */

/* Where stance i's salience was read, for messages. */
static ploc salience_loc(const pstance *st)
{
    return (ploc){st->loc.line, st->col_salience ? st->col_salience : st->loc.column};
}

const char *sc_apply_salience_scale(parley_scenario *s, const char *scale, parley_error *err, const char *file)
{
    bool percent;
    if (strcmp(scale, "percent") == 0) {
        percent = true;
    } else if (strcmp(scale, "fraction") == 0) {
        percent = false;
    } else {
        /* The rule: every salience in [0, 1] means fractions; some above 1 and none strictly between 0 and 1
         * means percentages. A mix is no guess to make: one 1.2 among fractions would otherwise turn every
         * salience into a hundredth of itself. Negative or missing saliences say nothing about the scale
         * (validation rejects them either way). */
        size_t above = 0, between = 0, first = SIZE_MAX;
        for (size_t i = 0; i < s->n_stances; i++) {
            double v = s->stances[i].salience.v;
            if (v > 1.0 && isfinite(v)) {
                if (!above++) first = i;
            } else if (v > 0.0 && v < 1.0) {
                between++;
            }
        }
        if (above && between) {
            pu_buf lines = {0};
            size_t listed = 0;
            for (size_t i = first; i < s->n_stances && listed < 10; i++) {
                double v = s->stances[i].salience.v;
                if (!(v > 1.0 && isfinite(v))) continue;
                pu_buf_printf(&lines, "%s%d", listed ? ", " : "", s->stances[i].loc.line);
                listed++;
            }
            if (above > listed) pu_buf_printf(&lines, " and %zu more", above - listed);
            ploc at = salience_loc(&s->stances[first]);
            PERR(err, PARLEY_E_INVALID, file, at.line, at.column, "salience",
                 "%zu salience%s above 1 (on line%s %s) among %zu between 0 and 1: expected every salience in [0, 1] "
                 "(fractions) or none strictly between 0 and 1 (percentages); correct %s, or say which scale the "
                 "file uses with --salience-scale fraction or percent",
                 above, above == 1 ? "" : "s", above == 1 ? "" : "s", lines.data ? lines.data : "?", between,
                 above == 1 ? "it" : "them");
            pu_buf_free(&lines);
            return NULL;
        }
        percent = above > 0;
    }
    if (percent)
        for (size_t i = 0; i < s->n_stances; i++) {
            pnum *n = &s->stances[i].salience;
            n->v /= 100.0, n->u.low /= 100.0, n->u.high /= 100.0, n->u.sd /= 100.0;
        }
    return percent ? "percent" : "fraction";
}

void sc_fold_capabilities(parley_scenario *s)
{
    /* An actor whose rows all carry one capability gets it as its own; rows that differ keep an override. */
    for (size_t i = 0; i < s->n_stances; i++) {
        pstance *st = &s->stances[i];
        pactor *a = &s->actors[st->actor];
        if (!pnum_has(a->capability) && pnum_has(st->capability)) a->capability.v = st->capability.v;
    }
    for (size_t i = 0; i < s->n_stances; i++) {
        pstance *st = &s->stances[i];
        pactor *a = &s->actors[st->actor];
        if (pnum_has(st->capability) && st->capability.v == a->capability.v && !st->capability.why &&
            st->capability.u.kind == PARLEY_DIST_NONE)
            st->capability = pnum_none();
    }
}

bool sc_observed_scales(parley_scenario *s)
{
    /* One pass over the stances, not one per issue: a file of 10,000 issues would otherwise cost
     * issues x stances steps (the CSV reader's 229 s on 200 actors x 10,000 issues). */
    double *lo = malloc((s->n_issues ? s->n_issues : 1) * sizeof *lo);
    double *hi = malloc((s->n_issues ? s->n_issues : 1) * sizeof *hi);
    if (!lo || !hi) {
        free(lo), free(hi);
        return false;
    }
    for (size_t k = 0; k < s->n_issues; k++) lo[k] = INFINITY, hi[k] = -INFINITY;
    for (size_t i = 0; i < s->n_stances; i++) {
        const pstance *st = &s->stances[i];
        if (st->issue >= s->n_issues || !isfinite(st->position.v)) continue;
        if (st->position.v < lo[st->issue]) lo[st->issue] = st->position.v;
        if (st->position.v > hi[st->issue]) hi[st->issue] = st->position.v;
    }
    for (size_t k = 0; k < s->n_issues; k++) {
        pissue *is = &s->issues[k];
        if (lo[k] > hi[k]) lo[k] = 0, hi[k] = 0;
        if (!pnum_has(is->low)) is->low.v = lo[k];
        if (!pnum_has(is->high)) is->high.v = hi[k];
    }
    free(lo), free(hi);
    return true;
}

/* ---- validation ---- */

typedef struct vctx {
    parley_scenario *s;
    parley_error *err;
    const char *file;
} vctx;

#define VERR(v, loc, field, ...) \
    PERR((v)->err, PARLEY_E_INVALID, (v)->file, (loc).line, (loc).column, (field), __VA_ARGS__)

static bool check_number(vctx *v, ploc loc, const char *field, const char *what, double x)
{
    if (isfinite(x)) return true;
    VERR(v, loc, field, "%s: expected a finite number, found %s", what, isnan(x) ? "nothing (or NaN)" : "infinity");
    return false;
}

/* The slack a position may sit outside its scale by rounding: 1e-9 of the width. A width past the largest
 * double (a scale from -1e308 to 1e308) is taken in halves, so the slack stays finite and a position off
 * such a scale is still caught. */
static double scale_tolerance(double lo, double hi)
{
    double w = hi - lo;
    return isfinite(w) ? 1e-9 * fmax(1.0, fabs(w)) : 2e-9 * fabs(hi * 0.5 - lo * 0.5);
}

/* Checks the uncertainty of a number whose legal range is [lo, hi], filling a normal's missing bounds
 * with that range. */
static void check_uncertainty(vctx *v, ploc loc, const char *field, const char *what, pnum *n, double lo, double hi)
{
    pdist *u = &n->u;
    if (u->kind == PARLEY_DIST_NONE) return;
    if (u->kind == PARLEY_DIST_NORMAL) {
        if (isnan(u->low)) u->low = lo;
        if (isnan(u->high)) u->high = hi;
        if (!(isfinite(u->sd) && u->sd > 0)) {
            VERR(v, loc, field, "%s: expected a standard deviation sd > 0 for a normal distribution, found %g", what, u->sd);
            return;
        }
    }
    if (isnan(u->low) || isnan(u->high) || (u->kind != PARLEY_DIST_NORMAL && !(isfinite(u->low) && isfinite(u->high)))) {
        VERR(v, loc, field, "%s: expected finite low and high bounds for a %s distribution", what, parley_dist_name(u->kind));
        return;
    }
    double tol = scale_tolerance(lo, hi);
    if (!(u->low <= n->v + tol && n->v <= u->high + tol))
        VERR(v, loc, field, "%s: expected low <= value <= high, found %g <= %g <= %g", what, u->low, n->v, u->high);
    else if (u->low < lo - tol || u->high > hi + tol)
        VERR(v, loc, field, "%s: expected the range [%g, %g] within [%g, %g]", what, u->low, u->high, lo, hi);
}

/* Numbers that define the problem rather than judge it (scales, reference points) cannot be uncertain. */
static void check_certain(vctx *v, ploc loc, const char *field, const char *what, const pnum *n)
{
    if (n->u.kind != PARLEY_DIST_NONE)
        VERR(v, loc, field, "%s: uncertainty is allowed on positions, saliences and capabilities only", what);
}

/* Checks that every change of every variant names what exists: actors (or ones the variant added
 * before), issues and fields. Ids of any length are looked up whole (no fixed-size copies, which once
 * truncated a long target to another actor's id), each by a hash lookup. */
static void check_variants(vctx *v, const parley_scenario *s)
{
    pu_map seen = {0};
    for (size_t i = 0; i < s->n_variants; i++) {
        const pvariant *pv = &s->variants[i];
        if (!pv->id) continue; /* reported by the reader */
        size_t prev;
        if (pu_map_get(&seen, pv->id, &prev)) VERR(v, pv->loc, "variants", "variant \"%s\" appears twice", pv->id);
        else if (!pu_map_put(&seen, pv->id, i)) PERR(v->err, PARLEY_E_NOMEM, v->file, 0, 0, NULL, "out of memory");
        pu_map added = {0}; /* actors this variant's earlier changes add */
        for (size_t c = 0; c < pv->n_changes; c++) {
            const pchange *ch = &pv->changes[c];
            if (ch->op == PC_ADD ? !ch->add_id : !ch->target) continue; /* reported by the reader */
            char *what = pu_asprintf("variant \"%s\", change %zu", pv->id, c + 1);
            size_t a;
            if (!what) {
                PERR(v->err, PARLEY_E_NOMEM, v->file, 0, 0, NULL, "out of memory");
                break;
            }
            if (ch->op == PC_ADD) {
                if (parley_scenario_find_actor(s, ch->add_id, &a))
                    VERR(v, ch->loc, "add", "%s: actor \"%s\" exists already", what, ch->add_id);
                if (!(isfinite(ch->add_capability) && ch->add_capability >= 0))
                    VERR(v, ch->loc, "capability", "%s: expected a capability >= 0", what);
                for (size_t k = 0; k < ch->n_stances; k++) {
                    size_t is;
                    if (ch->stances[k].issue && !parley_scenario_find_issue(s, ch->stances[k].issue, &is))
                        VERR(v, ch->loc, "stances", "%s: unknown issue \"%s\"", what, ch->stances[k].issue);
                }
                if (!pu_map_put(&added, ch->add_id, c)) PERR(v->err, PARLEY_E_NOMEM, v->file, 0, 0, NULL, "out of memory");
                free(what);
                continue;
            }
            const char *t = ch->target, *slash = strchr(t, '/');
            size_t alen = slash ? (size_t)(slash - t) : strlen(t);
            char *actor = pu_strndup(t, alen);
            bool known = actor && (parley_scenario_find_actor(s, actor, &a) || pu_map_get(&added, actor, &a));
            free(actor);
            if (!known) {
                VERR(v, ch->loc, "target", "%s: unknown actor \"%.*s\" in \"%s\"", what, (int)alen, t, t);
            } else if (ch->op == PC_REMOVE) {
                if (slash) VERR(v, ch->loc, "remove", "%s: expected an actor id, found \"%s\"", what, t);
            } else if (!slash) {
                VERR(v, ch->loc, "target", "%s: expected \"actor/issue/field\" or \"actor/capability\", found \"%s\"", what, t);
            } else {
                const char *rest = slash + 1, *slash2 = strchr(rest, '/');
                if (!slash2) {
                    if (strcmp(rest, "capability"))
                        VERR(v, ch->loc, "target", "%s: expected \"%.*s/capability\" or an issue and a field, found \"%s\"", what, (int)alen, t, t);
                } else {
                    char *issue = pu_strndup(rest, (size_t)(slash2 - rest));
                    size_t is;
                    const char *field = slash2 + 1;
                    if (!issue) PERR(v->err, PARLEY_E_NOMEM, v->file, 0, 0, NULL, "out of memory");
                    else if (!parley_scenario_find_issue(s, issue, &is))
                        VERR(v, ch->loc, "target", "%s: unknown issue \"%s\" in \"%s\"", what, issue, t);
                    else if (strcmp(field, "position") && strcmp(field, "salience") && strcmp(field, "capability"))
                        VERR(v, ch->loc, "target", "%s: expected the field position, salience or capability, found \"%s\"", what, field);
                    free(issue);
                }
                if (!isfinite(ch->value)) VERR(v, ch->loc, "value", "%s: expected a finite number", what);
                if (ch->round > 0 && (!slash2 || strcmp(slash2 + 1, "position")))
                    VERR(v, ch->loc, "round", "%s: a change at a round (a shock) moves a position: expected \"actor/issue/position\", found \"%s\"", what, t);
            }
            free(what);
        }
        pu_map_free(&added);
    }
    pu_map_free(&seen);
}

static bool on_scale(const pissue *is, double x)
{
    double tol = scale_tolerance(is->low.v, is->high.v);
    return x >= is->low.v - tol && x <= is->high.v + tol;
}

static void validate_ids(vctx *v, bool actors)
{
    parley_scenario *s = v->s;
    pu_map *map = actors ? &s->actor_ids : &s->issue_ids;
    size_t n = actors ? s->n_actors : s->n_issues;
    for (size_t i = 0; i < n; i++) {
        const char *id = actors ? s->actors[i].id : s->issues[i].id;
        ploc loc = actors ? s->actors[i].loc : s->issues[i].loc;
        const char *kind = actors ? "actor" : "issue";
        if (!id || !*id) {
            VERR(v, loc, "id", "%s %zu: expected a non-empty id", kind, i + 1);
            continue;
        }
        size_t prev;
        if (pu_map_get(map, id, &prev)) {
            ploc pl = actors ? s->actors[prev].loc : s->issues[prev].loc;
            if (pl.line)
                VERR(v, loc, "id", "duplicate %s id \"%s\" (first defined on line %d)", kind, id, pl.line);
            else
                VERR(v, loc, "id", "duplicate %s id \"%s\"", kind, id);
            continue;
        }
        if (!pu_map_put(map, id, i)) {
            PERR(v->err, PARLEY_E_NOMEM, v->file, 0, 0, NULL, "out of memory");
            return;
        }
    }
}

/* ---- the sparse index: stances by (issue, actor) and by (actor, issue) ---- */

static size_t stance_key(const parley_scenario *s, size_t i, bool by_issue)
{
    return by_issue ? s->stances[i].issue : s->stances[i].actor;
}

/* Writes the n stance indices of in (0 .. n - 1 when in is NULL) to out, stably sorted by issue (or
 * actor), and the start of each key's run to start[0 .. keys] (start[keys] = n). O(n + keys). */
static void counting_sort(const parley_scenario *s, const size_t *in, size_t n, size_t *out, size_t *start,
                          size_t keys, bool by_issue)
{
    memset(start, 0, (keys + 1) * sizeof *start);
    for (size_t j = 0; j < n; j++) start[stance_key(s, in ? in[j] : j, by_issue) + 1]++;
    for (size_t k = 0; k < keys; k++) start[k + 1] += start[k];
    for (size_t j = 0; j < n; j++) {
        size_t i = in ? in[j] : j;
        out[start[stance_key(s, i, by_issue)]++] = i;
    }
    /* Placing moved each start to its run's end, which is the next run's start. */
    memmove(start + 1, start, keys * sizeof *start);
    start[0] = 0;
}

/* Gives each issue that at least one actor in 4 takes part in its direct map, actor -> stance (see
 * scenario_internal.h): the models ask every actor of an issue for its stance, which a search of the run
 * would make a few steps per question. Returns false when out of memory. */
static bool dense_build(parley_scenario *s)
{
    size_t na = s->n_actors, ni = s->n_issues, total = 0;
    s->dense_at = malloc(ni * sizeof *s->dense_at);
    if (!s->dense_at) return false;
    for (size_t k = 0; k < ni; k++) {
        size_t len = s->issue_start[k + 1] - s->issue_start[k];
        s->dense_at[k] = len && len >= na / 4 ? total : SIZE_MAX;
        if (s->dense_at[k] != SIZE_MAX) total += na;
    }
    if (!total) return true;
    s->cells = malloc(total * sizeof *s->cells);
    if (!s->cells) return false;
    s->n_cells = total;
    memset(s->cells, 0xff, total * sizeof *s->cells); /* UINT32_MAX: no stance */
    for (size_t k = 0; k < ni; k++) {
        if (s->dense_at[k] == SIZE_MAX) continue;
        uint32_t *c = s->cells + s->dense_at[k];
        /* Stance indices fit: PARLEY_MAX_STANCES is far below UINT32_MAX. */
        for (size_t j = s->issue_start[k]; j < s->issue_start[k + 1]; j++)
            c[s->stances[s->by_issue[j]].actor] = (uint32_t)s->by_issue[j];
    }
    return true;
}

/* Builds s's sparse index (by_issue, by_actor and their starts) in three stable counting sorts, leaving a
 * second stance on a cell out: first_of[i] is then the index of the cell's first stance (in the order
 * read), else SIZE_MAX. Returns false when out of memory (the index is left empty). */
static bool index_build(parley_scenario *s, size_t *first_of)
{
    size_t na = s->n_actors, ni = s->n_issues, n = s->n_stances;
    free(s->by_issue), free(s->issue_start), free(s->by_actor), free(s->actor_start);
    free(s->dense_at), free(s->cells);
    s->by_issue = s->issue_start = s->by_actor = s->actor_start = s->dense_at = NULL;
    s->cells = NULL, s->n_cells = 0;
    size_t *tmp = malloc((n ? n : 1) * sizeof *tmp), *bi = malloc((n ? n : 1) * sizeof *bi);
    size_t *is = malloc((ni + 1) * sizeof *is), *as = malloc((na + 1) * sizeof *as);
    if (!tmp || !bi || !is || !as) {
        free(tmp), free(bi), free(is), free(as);
        return false;
    }
    /* By actor first, then stably by issue: each issue's run is in actor order, and one cell's stances in
     * the order read. */
    counting_sort(s, NULL, n, tmp, as, na, false);
    counting_sort(s, tmp, n, bi, is, ni, true);
    size_t m = 0;
    for (size_t k = 0; k < ni; k++) {
        size_t begin = is[k], end = is[k + 1];
        is[k] = m;
        for (size_t j = begin; j < end; j++) {
            size_t i = bi[j];
            first_of[i] = SIZE_MAX;
            if (m > is[k] && s->stances[bi[m - 1]].actor == s->stances[i].actor) first_of[i] = bi[m - 1];
            else bi[m++] = i;
        }
    }
    is[ni] = m;
    counting_sort(s, bi, m, tmp, as, na, false); /* stable: each actor's run in issue order */
    s->by_issue = bi, s->issue_start = is, s->by_actor = tmp, s->actor_start = as;
    return dense_build(s);
}

/* Returns the stance of run (len stance indices of one issue, sorted by actor; or of one actor, sorted by
 * issue when key_is_issue) whose actor (or issue) is key, or SIZE_MAX. Interpolation steps alternate with
 * halvings: a full run (every actor on the issue) is found in one step, a random one in a few, and no
 * run takes more than twice the steps of a binary search. */
static size_t run_find(const parley_scenario *s, const size_t *run, size_t len, bool key_is_issue, size_t key)
{
    size_t lo = 0, hi = len;
    bool interpolate = true;
    while (lo < hi) {
        size_t vlo = stance_key(s, run[lo], key_is_issue), vhi = stance_key(s, run[hi - 1], key_is_issue);
        if (key < vlo || key > vhi) return SIZE_MAX;
        size_t mid = interpolate && vhi > vlo
                         ? lo + (size_t)((uint64_t)(key - vlo) * (uint64_t)(hi - 1 - lo) / (uint64_t)(vhi - vlo))
                         : lo + (hi - lo) / 2;
        interpolate = !interpolate;
        size_t v = stance_key(s, run[mid], key_is_issue);
        if (v == key) return run[mid];
        if (v < key) lo = mid + 1;
        else hi = mid;
    }
    return SIZE_MAX;
}

size_t sc_cell(const parley_scenario *s, size_t actor, size_t issue)
{
    if (!s->by_issue || actor >= s->n_actors || issue >= s->n_issues) return SIZE_MAX;
    if (s->dense_at[issue] != SIZE_MAX) {
        uint32_t i = s->cells[s->dense_at[issue] + actor];
        return i == UINT32_MAX ? SIZE_MAX : i;
    }
    size_t li = s->issue_start[issue + 1] - s->issue_start[issue];
    size_t la = s->actor_start[actor + 1] - s->actor_start[actor];
    if (la < li) return run_find(s, s->by_actor + s->actor_start[actor], la, true, issue);
    return run_find(s, s->by_issue + s->issue_start[issue], li, false, actor);
}

bool sc_set_drawn(parley_scenario *copy, size_t actor, size_t stance, parley_field field, double v)
{
    pnum *n;
    if (stance == SIZE_MAX) {
        if (actor >= copy->n_actors) return false;
        n = &copy->actors[actor].capability;
    } else {
        if (stance >= copy->n_stances) return false;
        pstance *st = &copy->stances[stance];
        n = field == PARLEY_FIELD_POSITION ? &st->position : field == PARLEY_FIELD_SALIENCE ? &st->salience : &st->capability;
    }
    n->v = v;
    return true;
}

parley_status parley_scenario_finalize(parley_scenario *s, parley_error *err)
{
    if (s->finalized) return PARLEY_OK;
    parley_error *own = NULL;
    if (!err) err = own = parley_error_new();
    size_t before = parley_error_errors(err);
    vctx v = {s, err, s->source};
    ploc none = {0, 0};

    if (s->n_actors == 0) VERR(&v, none, "actors", "expected at least one actor, found none");
    if (s->n_issues == 0) VERR(&v, none, "issues", "expected at least one issue, found none");
    pu_map_free(&s->actor_ids);
    pu_map_free(&s->issue_ids);
    validate_ids(&v, true);
    validate_ids(&v, false);

    for (size_t i = 0; i < s->n_actors; i++) {
        pactor *a = &s->actors[i];
        if (!pnum_has(a->capability)) a->capability.v = 1.0; /* documented default */
        if (check_number(&v, a->loc, "capability", a->id ? a->id : "actor", a->capability.v) && a->capability.v < 0)
            VERR(&v, a->loc, "capability", "actor \"%s\": expected a capability >= 0, found %g", a->id, a->capability.v);
        else check_uncertainty(&v, a->loc, "capability", a->id ? a->id : "actor", &a->capability, 0, INFINITY);
        const char *aid = a->id ? a->id : "actor";
        if (pnum_has(a->reservation) && check_number(&v, a->loc, "reservation", aid, a->reservation.v) &&
            !(a->reservation.v >= 0 && a->reservation.v <= 1))
            VERR(&v, a->loc, "reservation", "actor \"%s\": expected a reservation (utility of no agreement) in [0, 1], found %g",
                 aid, a->reservation.v);
        check_certain(&v, a->loc, "reservation", aid, &a->reservation);
        if (!isnan(a->discount) && !(a->discount > 0 && a->discount <= 1))
            VERR(&v, a->loc, "discount", "actor \"%s\": expected a discount factor in (0, 1], found %g", aid, a->discount);
        if (a->strategy && !*a->strategy)
            VERR(&v, a->loc, "strategy", "actor \"%s\": expected a strategy name, found an empty text", aid);
    }
    for (size_t k = 0; k < s->n_issues; k++) {
        pissue *is = &s->issues[k];
        const char *id = is->id ? is->id : "issue";
        if (is->n_options) {
            /* An option issue's values are option indices: its scale is the list. */
            is->low.v = 0, is->high.v = (double)(is->n_options - 1);
            for (size_t j = 0; j < is->n_options; j++) {
                if (!is->options[j][0])
                    VERR(&v, is->loc, "options", "issue \"%s\": option %zu: expected a non-empty text", id, j + 1);
                for (size_t i = 0; i < j; i++)
                    if (!strcmp(is->options[i], is->options[j]))
                        VERR(&v, is->loc, "options", "issue \"%s\": option \"%s\" appears twice", id, is->options[j]);
            }
        }
        bool lo = check_number(&v, is->loc, "low", id, is->low.v);
        bool hi = check_number(&v, is->loc, "high", id, is->high.v);
        check_certain(&v, is->loc, "low", id, &is->low), check_certain(&v, is->loc, "high", id, &is->high);
        check_certain(&v, is->loc, "reference", id, &is->reference), check_certain(&v, is->loc, "outcome", id, &is->outcome);
        if (lo && hi && is->low.v > is->high.v)
            VERR(&v, is->loc, "scale", "issue \"%s\": expected low <= high, found low %g > high %g", id, is->low.v,
                 is->high.v);
        if (!(lo && hi)) continue;
        if (pnum_has(is->reference) &&
            check_number(&v, is->loc, "reference", id, is->reference.v) && !on_scale(is, is->reference.v))
            VERR(&v, is->loc, "reference", "issue \"%s\": expected a reference point on the scale [%g, %g], found %g",
                 id, is->low.v, is->high.v, is->reference.v);
        if (pnum_has(is->outcome) &&
            check_number(&v, is->loc, "outcome", id, is->outcome.v) && !on_scale(is, is->outcome.v))
            VERR(&v, is->loc, "outcome", "issue \"%s\": expected an outcome on the scale [%g, %g], found %g", id,
                 is->low.v, is->high.v, is->outcome.v);
    }

    if (s->n_actors && s->n_issues) {
        size_t *first_of = malloc((s->n_stances ? s->n_stances : 1) * sizeof *first_of);
        if (!first_of || !index_build(s, first_of)) {
            free(first_of);
            parley_error_free(own);
            return PARLEY_E_NOMEM;
        }
        char *what = NULL;
        size_t what_cap = 0;
        for (size_t i = 0; i < s->n_stances; i++) {
            pstance *st = &s->stances[i];
            pactor *a = &s->actors[st->actor];
            pissue *is = &s->issues[st->issue];
            if (first_of[i] != SIZE_MAX) {
                int pl = s->stances[first_of[i]].loc.line;
                if (pl)
                    VERR(&v, st->loc, "stance", "actor \"%s\" has a second stance on issue \"%s\" (first on line %d)",
                         a->id, is->id, pl);
                else
                    VERR(&v, st->loc, "stance", "actor \"%s\" has a second stance on issue \"%s\"", a->id, is->id);
                continue;
            }
            ploc at_pos = {st->loc.line, st->col_position ? st->col_position : st->loc.column};
            ploc at_sal = {st->loc.line, st->col_salience ? st->col_salience : st->loc.column};
            ploc at_cap = {st->loc.line, st->col_capability ? st->col_capability : st->loc.column};
            /* Messages name the actor and the issue in full: the text is built in a buffer that grows (and is
             * reused from stance to stance), never clipped to a fixed size. */
            size_t need = (a->id ? strlen(a->id) : 6) + (is->id ? strlen(is->id) : 6) + 32;
            const char *w = "a stance";
            if (pu_grow((void **)&what, &what_cap, need, 1)) {
                snprintf(what, need, "actor \"%s\" on issue \"%s\"", a->id ? a->id : "", is->id ? is->id : "");
                w = what;
            }
            if (is->n_options) {
                /* An option issue: the stance values each option; a position means nothing there. */
                if (pnum_has(st->position))
                    VERR(&v, at_pos, "position", "%s: an option issue takes \"evaluations\" of its options, not a position", w);
                else if (!st->evals)
                    VERR(&v, at_pos, "evaluations", "%s: expected \"evaluations\" of the issue's options, found none", w);
                for (size_t j = 0; st->evals && j < is->n_options; j++)
                    if (!isnan(st->evals[j]) && !(st->evals[j] >= 0 && st->evals[j] <= 1))
                        VERR(&v, at_pos, "evaluations", "%s: option \"%s\": expected an evaluation in [0, 1], found %g", w,
                             is->options[j], st->evals[j]);
            } else if (st->evals) {
                VERR(&v, at_pos, "evaluations", "%s: \"evaluations\" need an option issue; this one is a scale", w);
            } else if (st->linear && !(isfinite(st->slope) && isfinite(st->offset) && isfinite(st->origin))) {
                VERR(&v, at_pos, "evaluator", "%s: expected a finite slope, offset and origin", w);
            }
            if (is->n_options) {
                /* checked above */
            } else if (check_number(&v, at_pos, "position", w, st->position.v) && !on_scale(is, st->position.v))
                VERR(&v, at_pos, "position", "%s: expected a position on the scale [%g, %g], found %g", w,
                     is->low.v, is->high.v, st->position.v);
            else check_uncertainty(&v, at_pos, "position", w, &st->position, is->low.v, is->high.v);
            if (check_number(&v, at_sal, "salience", w, st->salience.v) &&
                (st->salience.v < 0 || st->salience.v > 1))
                VERR(&v, at_sal, "salience", "%s: expected a salience in [0, 1] (or 0-100), found %g", w,
                     st->salience.v);
            else check_uncertainty(&v, at_sal, "salience", w, &st->salience, 0, 1);
            if (pnum_has(st->capability) && check_number(&v, at_cap, "capability", w, st->capability.v) &&
                st->capability.v < 0)
                VERR(&v, at_cap, "capability", "%s: expected a capability >= 0, found %g", w, st->capability.v);
            else if (pnum_has(st->capability)) check_uncertainty(&v, at_cap, "capability", w, &st->capability, 0, INFINITY);
        }
        free(what);
        free(first_of);
        for (size_t k = 0; k < s->n_issues && parley_error_errors(err) == before; k++) {
            if (s->issue_start[k + 1] == s->issue_start[k])
                PWARN(err, s->source, s->issues[k].loc.line, s->issues[k].loc.column, "issue",
                      "no actor takes part in issue \"%s\"; models give it no forecast", s->issues[k].id);
        }
    }
    check_variants(&v, s);
    for (size_t i = 0; i < s->n_shocks && s->n_issues; i++) {
        const pshock *k = &s->shocks[i];
        if (!isfinite(k->value)) VERR(&v, k->loc, "shocks", "shock %zu: expected a finite number", i + 1);
        else if (k->op == PC_SET && k->issue < s->n_issues && !on_scale(&s->issues[k->issue], k->value))
            VERR(&v, k->loc, "shocks", "shock %zu: expected a position on the scale of \"%s\", found %g", i + 1, s->issues[k->issue].id, k->value);
    }
    parley_status status = parley_error_errors(err) == before ? PARLEY_OK : PARLEY_E_INVALID;
    if (status != PARLEY_OK) {
        /* Report the status of the first new error (it may be NOMEM or LIMIT rather than INVALID). */
        for (size_t i = 0; i < parley_error_count(err); i++) {
            const parley_diag *d = parley_error_at(err, i);
            if (d->severity == PARLEY_SEVERITY_ERROR) {
                status = d->status;
                break;
            }
        }
    }
    parley_error_free(own);
    if (status == PARLEY_OK) s->finalized = true;
    return status;
}

/* ---- getters ---- */

const char *parley_scenario_text(const parley_scenario *s, parley_text field)
{
    char **slot = text_slot_scenario((parley_scenario *)s, field);
    return slot ? *slot : NULL;
}

size_t parley_scenario_actor_count(const parley_scenario *s) { return s->n_actors; }
size_t parley_scenario_issue_count(const parley_scenario *s) { return s->n_issues; }
bool parley_scenario_is_batch(const parley_scenario *s) { return s->batch; }
const char *parley_actor_id(const parley_scenario *s, size_t a) { return a < s->n_actors ? s->actors[a].id : NULL; }

const char *parley_actor_text(const parley_scenario *s, size_t a, parley_text field)
{
    if (a >= s->n_actors) return NULL;
    char **slot = text_slot_actor(&s->actors[a], field);
    return slot ? *slot : NULL;
}

double parley_actor_capability(const parley_scenario *s, size_t a)
{
    return a < s->n_actors ? s->actors[a].capability.v : NAN;
}

bool parley_scenario_find_actor(const parley_scenario *s, const char *id, size_t *index)
{
    return pu_map_get(&s->actor_ids, id, index);
}

bool parley_scenario_find_issue(const parley_scenario *s, const char *id, size_t *index)
{
    return pu_map_get(&s->issue_ids, id, index);
}

const char *parley_issue_id(const parley_scenario *s, size_t k) { return k < s->n_issues ? s->issues[k].id : NULL; }

const char *parley_issue_text(const parley_scenario *s, size_t k, parley_text field)
{
    if (k >= s->n_issues) return NULL;
    char **slot = text_slot_issue(&s->issues[k], field);
    return slot ? *slot : NULL;
}

double parley_issue_number(const parley_scenario *s, size_t k, parley_issue_field field)
{
    if (k >= s->n_issues) return NAN;
    pnum *slot = issue_number_slot(&s->issues[k], field);
    return slot ? slot->v : NAN;
}

const char *parley_issue_why(const parley_scenario *s, size_t k, parley_issue_field field)
{
    if (k >= s->n_issues) return NULL;
    pnum *slot = issue_number_slot(&s->issues[k], field);
    return slot ? slot->why : NULL;
}

const char *parley_issue_attribute(const parley_scenario *s, size_t issue, const char *key)
{
    if (issue >= s->n_issues) return NULL;
    const pissue *is = &s->issues[issue];
    for (size_t i = 0; i < is->n_attrs; i++)
        if (!strcmp(is->attrs[i].key, key)) return is->attrs[i].value;
    return NULL;
}

/* Fills what is asked of stance i; capability is the effective one. */
static void stance_out(const parley_scenario *s, size_t i, double *position, double *salience, double *capability)
{
    const pstance *st = &s->stances[i];
    if (position) *position = st->position.v;
    if (salience) *salience = st->salience.v;
    if (capability) *capability = pnum_has(st->capability) ? st->capability.v : s->actors[st->actor].capability.v;
}

bool parley_stance(const parley_scenario *s, size_t actor, size_t issue, double *position, double *salience,
                   double *capability)
{
    size_t i = sc_cell(s, actor, issue);
    if (i == SIZE_MAX) return false;
    stance_out(s, i, position, salience, capability);
    return true;
}

size_t parley_scenario_stance_count(const parley_scenario *s)
{
    return s->by_issue ? s->issue_start[s->n_issues] : s->n_stances;
}

/* The length of run `key` of a sorted index (by_issue or by_actor, with its starts, over n keys); 0 without
 * the index. */
static size_t run_len(const size_t *by, const size_t *start, size_t n, size_t key)
{
    return by && key < n ? start[key + 1] - start[key] : 0;
}

/* The stance at place j of run `key`, or SIZE_MAX past its end. */
static size_t run_at(const size_t *by, const size_t *start, size_t n, size_t key, size_t j)
{
    return j < run_len(by, start, n, key) ? by[start[key] + j] : SIZE_MAX;
}

size_t parley_issue_stance_count(const parley_scenario *s, size_t issue)
{
    return run_len(s->by_issue, s->issue_start, s->n_issues, issue);
}

bool parley_issue_stance_at(const parley_scenario *s, size_t issue, size_t j, size_t *actor, double *position,
                            double *salience, double *capability)
{
    size_t i = run_at(s->by_issue, s->issue_start, s->n_issues, issue, j);
    if (i == SIZE_MAX) return false;
    if (actor) *actor = s->stances[i].actor;
    stance_out(s, i, position, salience, capability);
    return true;
}

size_t parley_actor_stance_count(const parley_scenario *s, size_t actor)
{
    return run_len(s->by_actor, s->actor_start, s->n_actors, actor);
}

bool parley_actor_stance_at(const parley_scenario *s, size_t actor, size_t j, size_t *issue, double *position,
                            double *salience, double *capability)
{
    size_t i = run_at(s->by_actor, s->actor_start, s->n_actors, actor, j);
    if (i == SIZE_MAX) return false;
    if (issue) *issue = s->stances[i].issue;
    stance_out(s, i, position, salience, capability);
    return true;
}

/* ---- cloning ---- */

/* Each copier returns the copy, or NULL (and clears *ok) when out of memory; NULL stays NULL. */
static char *dup_str(const char *p, bool *ok)
{
    if (!p) return NULL;
    char *c = pu_strdup(p);
    if (!c) *ok = false;
    return c;
}

static pnum dup_pnum(pnum n, bool *ok)
{
    n.why = dup_str(n.why, ok);
    return n;
}

/* Copies n elements of size bytes; sets *count (and *cap when given) to 0 when the copy fails or n is 0,
 * so that the clone never points into the original. */
static void *dup_array(const void *p, size_t *count, size_t *cap, size_t size, bool *ok)
{
    void *c = *count ? malloc(*count * size) : NULL;
    if (c) memcpy(c, p, *count * size);
    else if (*count) *ok = false, *count = 0;
    if (cap) *cap = *count;
    return c;
}

parley_scenario *parley_scenario_clone(const parley_scenario *s)
{
    if (!s || !s->finalized) return NULL;
    parley_scenario *c = malloc(sizeof *c);
    if (!c) return NULL;
    /* Every pointer copied by this assignment is replaced below, before anything can fail and free c. */
    *c = *s;
    bool ok = true;
    c->name = dup_str(s->name, &ok), c->description = dup_str(s->description, &ok);
    c->date = dup_str(s->date, &ok), c->notes = dup_str(s->notes, &ok), c->models = dup_str(s->models, &ok);
    c->source = dup_str(s->source, &ok), c->format = dup_str(s->format, &ok);
    c->sources = dup_array(s->sources, &c->n_sources, &c->cap_sources, sizeof *c->sources, &ok);
    for (size_t i = 0; i < c->n_sources; i++) c->sources[i] = dup_str(s->sources[i], &ok);
    c->actors = dup_array(s->actors, &c->n_actors, &c->cap_actors, sizeof *c->actors, &ok);
    for (size_t i = 0; i < c->n_actors; i++) {
        pactor *a = &c->actors[i];
        a->id = dup_str(a->id, &ok), a->name = dup_str(a->name, &ok), a->description = dup_str(a->description, &ok);
        a->capability = dup_pnum(a->capability, &ok);
        a->reservation = dup_pnum(a->reservation, &ok), a->strategy = dup_str(a->strategy, &ok);
    }
    c->issues = dup_array(s->issues, &c->n_issues, &c->cap_issues, sizeof *c->issues, &ok);
    for (size_t k = 0; k < c->n_issues; k++) {
        pissue *is = &c->issues[k];
        is->id = dup_str(is->id, &ok), is->label = dup_str(is->label, &ok);
        is->description = dup_str(is->description, &ok), is->date = dup_str(is->date, &ok);
        is->low_label = dup_str(is->low_label, &ok), is->high_label = dup_str(is->high_label, &ok);
        is->low = dup_pnum(is->low, &ok), is->high = dup_pnum(is->high, &ok);
        is->reference = dup_pnum(is->reference, &ok), is->outcome = dup_pnum(is->outcome, &ok);
        is->attrs = dup_array(s->issues[k].attrs, &is->n_attrs, &is->cap_attrs, sizeof *is->attrs, &ok);
        for (size_t j = 0; j < is->n_attrs; j++)
            is->attrs[j].key = dup_str(is->attrs[j].key, &ok), is->attrs[j].value = dup_str(is->attrs[j].value, &ok);
        is->options = dup_array(s->issues[k].options, &is->n_options, NULL, sizeof *is->options, &ok);
        for (size_t j = 0; j < is->n_options; j++) is->options[j] = dup_str(is->options[j], &ok);
    }
    c->stances = dup_array(s->stances, &c->n_stances, &c->cap_stances, sizeof *c->stances, &ok);
    for (size_t i = 0; i < c->n_stances; i++) {
        pstance *st = &c->stances[i];
        st->position = dup_pnum(st->position, &ok), st->salience = dup_pnum(st->salience, &ok);
        st->capability = dup_pnum(st->capability, &ok);
        size_t ne = st->evals ? s->issues[st->issue].n_options : 0;
        st->evals = st->evals ? dup_array(s->stances[i].evals, &ne, NULL, sizeof *st->evals, &ok) : NULL;
    }
    c->variants = dup_array(s->variants, &c->n_variants, &c->cap_variants, sizeof *c->variants, &ok);
    for (size_t v = 0; v < c->n_variants; v++) {
        pvariant *pv = &c->variants[v];
        pv->id = dup_str(pv->id, &ok), pv->name = dup_str(pv->name, &ok), pv->description = dup_str(pv->description, &ok);
        pv->changes = dup_array(s->variants[v].changes, &pv->n_changes, &pv->cap_changes, sizeof *pv->changes, &ok);
        for (size_t j = 0; j < pv->n_changes; j++) {
            pchange *ch = &pv->changes[j];
            ch->target = dup_str(ch->target, &ok), ch->add_id = dup_str(ch->add_id, &ok);
            ch->add_name = dup_str(ch->add_name, &ok);
            ch->stances = dup_array(s->variants[v].changes[j].stances, &ch->n_stances, NULL, sizeof *ch->stances, &ok);
            for (size_t k = 0; k < ch->n_stances; k++) ch->stances[k].issue = dup_str(ch->stances[k].issue, &ok);
        }
    }
    c->shocks = dup_array(s->shocks, &c->n_shocks, &c->cap_shocks, sizeof *c->shocks, &ok);
    /* The index (finalize built it: a finalized scenario has one). */
    size_t m = s->issue_start[s->n_issues], na1 = s->n_actors + 1, ni1 = s->n_issues + 1;
    c->issue_start = dup_array(s->issue_start, &ni1, NULL, sizeof *c->issue_start, &ok);
    c->actor_start = dup_array(s->actor_start, &na1, NULL, sizeof *c->actor_start, &ok);
    size_t m2 = m;
    c->by_issue = m ? dup_array(s->by_issue, &m, NULL, sizeof *c->by_issue, &ok) : malloc(sizeof *c->by_issue);
    c->by_actor = m2 ? dup_array(s->by_actor, &m2, NULL, sizeof *c->by_actor, &ok) : malloc(sizeof *c->by_actor);
    if (!c->by_issue || !c->by_actor) ok = false;
    size_t ni2 = s->n_issues;
    c->dense_at = dup_array(s->dense_at, &ni2, NULL, sizeof *c->dense_at, &ok);
    c->cells = dup_array(s->cells, &c->n_cells, NULL, sizeof *c->cells, &ok);
    /* The id maps borrow the ids, so they are rebuilt on the copy's own (unique: finalize checked). */
    c->actor_ids = (pu_map){0}, c->issue_ids = (pu_map){0};
    for (size_t i = 0; ok && i < c->n_actors; i++) ok = pu_map_put(&c->actor_ids, c->actors[i].id, i);
    for (size_t k = 0; ok && k < c->n_issues; k++) ok = pu_map_put(&c->issue_ids, c->issues[k].id, k);
    if (!ok) {
        parley_scenario_free(c);
        return NULL;
    }
    return c;
}

const char *parley_scenario_source(const parley_scenario *s) { return s->source; }
const char *parley_scenario_format(const parley_scenario *s) { return s->format; }
const char *parley_scenario_sha256(const parley_scenario *s) { return s->sha256[0] ? s->sha256 : NULL; }
const char *parley_scenario_models(const parley_scenario *s) { return s->models; }

const char *parley_dist_name(parley_dist kind)
{
    switch (kind) {
    case PARLEY_DIST_UNIFORM: return "uniform";
    case PARLEY_DIST_TRIANGULAR: return "triangular";
    case PARLEY_DIST_NORMAL: return "normal";
    default: return "none";
    }
}

/* Returns field of actor's stance on issue (issue SIZE_MAX: the actor's own capability), or NULL when there
 * is none; one lookup in the index. */
static const pnum *field_of(const parley_scenario *s, size_t actor, size_t issue, parley_field field)
{
    if (actor >= s->n_actors) return NULL;
    if (issue == SIZE_MAX) return field == PARLEY_FIELD_CAPABILITY ? &s->actors[actor].capability : NULL;
    size_t i = sc_cell(s, actor, issue);
    if (i == SIZE_MAX) return NULL;
    const pstance *st = &s->stances[i];
    return field == PARLEY_FIELD_POSITION ? &st->position : field == PARLEY_FIELD_SALIENCE ? &st->salience : &st->capability;
}

parley_uncertainty parley_uncertainty_of(const parley_scenario *s, size_t actor, size_t issue, parley_field field)
{
    parley_uncertainty none = {PARLEY_DIST_NONE, NAN, NAN, NAN};
    const pnum *n = field_of(s, actor, issue, field);
    if (!n || n->u.kind == PARLEY_DIST_NONE) return none;
    return (parley_uncertainty){n->u.kind, n->u.low, n->u.high, n->u.sd};
}

size_t parley_variant_count(const parley_scenario *s) { return s->n_variants; }
const char *parley_variant_id(const parley_scenario *s, size_t v) { return v < s->n_variants ? s->variants[v].id : NULL; }
const char *parley_variant_text(const parley_scenario *s, size_t v, parley_text field)
{
    if (v >= s->n_variants) return NULL;
    return field == PARLEY_TEXT_NAME ? s->variants[v].name : field == PARLEY_TEXT_DESCRIPTION ? s->variants[v].description : NULL;
}

const char *parley_why(const parley_scenario *s, size_t actor, size_t issue, parley_field field)
{
    const pnum *n = field_of(s, actor, issue, field);
    return n ? n->why : NULL;
}

size_t parley_shock_count(const parley_scenario *s) { return s->n_shocks; }

bool parley_shock(const parley_scenario *s, size_t i, size_t *actor, size_t *issue, int *round, double *value, const char **op)
{
    static const char *const ops[] = {"set", "shift", "scale"};
    if (i >= s->n_shocks) return false;
    const pshock *k = &s->shocks[i];
    if (actor) *actor = k->actor;
    if (issue) *issue = k->issue;
    if (round) *round = k->round;
    if (value) *value = k->value;
    if (op) *op = ops[k->op <= PC_SCALE ? k->op : 0];
    return true;
}
