/* read_csv.c - the tidy CSV format (one row per actor x issue, header-driven) and the BDM table. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reader.h"

enum col {
    C_ACTOR, C_ISSUE, C_POSITION, C_SALIENCE, C_CAPABILITY, C_ACTOR_NAME, C_ACTOR_DESC, C_ISSUE_LABEL,
    C_ISSUE_DESC, C_LOW, C_HIGH, C_LOW_LABEL, C_HIGH_LABEL, C_REFERENCE, C_OUTCOME, C_WHY, C_RESERVATION, C_STRATEGY,
    /* uncertainty: for position, salience and capability in turn, dist, low, high, sd */
    C_UNCERTAIN, C_COUNT = C_UNCERTAIN + 12
};

static const char *const col_names[C_COUNT] = {
    "actor", "issue", "position", "salience", "capability", "actor_name", "actor_description", "issue_label",
    "issue_description", "low", "high", "low_label", "high_label", "reference", "outcome", "why", "reservation",
    "strategy", "position_dist", "position_low", "position_high", "position_sd", "salience_dist", "salience_low", "salience_high",
    "salience_sd", "capability_dist", "capability_low", "capability_high", "capability_sd"};

/* Reads the optional uncertainty columns of field f (0 position, 1 salience, 2 capability) into *n: a
 * low/high pair alone means uniform. Returns false after reporting a bad cell. */
static bool read_uncertainty(rd_ctx *c, csv_record *rec, const size_t idx[C_COUNT], int f, pnum *n)
{
    static const char *const fields[] = {"position", "salience", "capability"};
    const size_t *col = idx + C_UNCERTAIN + 4 * f;
    char name[32];
    double lo = NAN, hi = NAN, sd = NAN;
    bool ok = true;
    snprintf(name, sizeof name, "%s_low", fields[f]);
    if (col[1] != SIZE_MAX) ok &= rd_number(c, rec, col[1], name, true, &lo);
    snprintf(name, sizeof name, "%s_high", fields[f]);
    if (col[2] != SIZE_MAX) ok &= rd_number(c, rec, col[2], name, true, &hi);
    snprintf(name, sizeof name, "%s_sd", fields[f]);
    if (col[3] != SIZE_MAX) ok &= rd_number(c, rec, col[3], name, true, &sd);
    const char *dist = col[0] != SIZE_MAX && col[0] < rec->n ? csv_trim(rec, col[0]) : "";
    parley_dist kind = PARLEY_DIST_NONE;
    if (!*dist) kind = isnan(lo) && isnan(hi) && isnan(sd) ? PARLEY_DIST_NONE : PARLEY_DIST_UNIFORM;
    else if (!pu_strcasecmp(dist, "uniform")) kind = PARLEY_DIST_UNIFORM;
    else if (!pu_strcasecmp(dist, "triangular")) kind = PARLEY_DIST_TRIANGULAR;
    else if (!pu_strcasecmp(dist, "normal")) kind = PARLEY_DIST_NORMAL;
    else {
        PERR(c->err, PARLEY_E_SYNTAX, c->file, rec->f[col[0]].line, rec->f[col[0]].column, fields[f],
             "expected uniform, triangular or normal (or nothing), found \"%s\"", dist);
        return false;
    }
    n->u = (pdist){kind, lo, hi, sd};
    return ok;
}

/* Reads the header record into idx (column index per known name, SIZE_MAX when absent). Unknown columns
 * are errors with a did-you-mean hint. Returns false on any fault. */
static bool read_header(rd_ctx *c, csv_record *rec, size_t idx[C_COUNT], size_t ncols)
{
    for (size_t k = 0; k < C_COUNT; k++) idx[k] = SIZE_MAX;
    bool ok = true;
    for (size_t i = 0; i < rec->n; i++) {
        const char *name = csv_trim(rec, i);
        if (!*name && i + 1 == rec->n) continue; /* a trailing delimiter */
        size_t k;
        for (k = 0; k < ncols; k++)
            if (pu_strcasecmp(name, col_names[k]) == 0) break;
        if (k == ncols) {
            const char *hint = pu_did_you_mean(name, col_names, ncols);
            PERR(c->err, PARLEY_E_SYNTAX, c->file, rec->f[i].line, rec->f[i].column, "header",
                 "unknown column \"%s\"%s%s%s", name, hint ? " (did you mean \"" : "", hint ? hint : "",
                 hint ? "\"?)" : "");
            ok = false;
        } else if (idx[k] != SIZE_MAX) {
            PERR(c->err, PARLEY_E_SYNTAX, c->file, rec->f[i].line, rec->f[i].column, "header",
                 "column \"%s\" appears twice", col_names[k]);
            ok = false;
        } else {
            idx[k] = i;
        }
    }
    return ok;
}

static bool require(rd_ctx *c, const size_t idx[C_COUNT], const enum col *need, size_t n, int line)
{
    bool ok = true;
    for (size_t i = 0; i < n; i++)
        if (idx[need[i]] == SIZE_MAX) {
            PERR(c->err, PARLEY_E_SYNTAX, c->file, line, 1, "header", "expected a column \"%s\", found none",
                 col_names[need[i]]);
            ok = false;
        }
    return ok;
}

/* Sets an issue-level text once; a later row that says something else is an error. */
static void issue_text(rd_ctx *c, csv_record *rec, size_t col, char **slot, const char *field)
{
    if (col == SIZE_MAX) return;
    const char *v = csv_trim(rec, col);
    if (!*v) return;
    if (!*slot) {
        if (!sc_set_str(slot, v)) PERR(c->err, PARLEY_E_NOMEM, c->file, 0, 0, NULL, "out of memory");
    } else if (strcmp(*slot, v) != 0) {
        PERR(c->err, PARLEY_E_INVALID, c->file, rec->f[col].line, rec->f[col].column, field,
             "expected \"%s\" as on an earlier row of this issue, found \"%s\"", *slot, v);
    }
}

static void issue_number(rd_ctx *c, csv_record *rec, size_t col, pnum *slot, const char *field)
{
    if (col == SIZE_MAX) return;
    double v;
    if (!rd_number(c, rec, col, field, true, &v) || isnan(v)) return;
    if (!pnum_has(*slot)) slot->v = v;
    else if (slot->v != v)
        PERR(c->err, PARLEY_E_INVALID, c->file, rec->f[col].line, rec->f[col].column, field,
             "expected %g as on an earlier row of this issue, found %g", slot->v, v);
}

/* The scenario's own fields a comment line before the header may hold: "# name: Jeddah talks". */
static const char *const comment_keys[] = {"name", "description", "date", "notes", "models", "source"};

/* Reads a comment line (text[0..len), a '#' first). "# KEY: value" with KEY a lowercase word sets that field
 * of the scenario; an unknown KEY is an error (a misspelt "# nmae:" would otherwise lose the name); any
 * other comment is ignored. */
static void read_comment(rd_ctx *c, const char *text, size_t len, int line)
{
    size_t i = 1;
    while (i < len && text[i] == ' ') i++;
    size_t k0 = i;
    while (i < len && ((text[i] >= 'a' && text[i] <= 'z') || text[i] == '_')) i++;
    if (i == k0 || i >= len || text[i] != ':') return; /* a plain comment */
    char *key = pu_strndup(text + k0, i - k0);
    size_t v0 = i + 1;
    while (v0 < len && (text[v0] == ' ' || text[v0] == '\t')) v0++;
    size_t v1 = len;
    while (v1 > v0 && (text[v1 - 1] == ' ' || text[v1 - 1] == '\t')) v1--;
    char *value = pu_strndup(text + v0, v1 - v0);
    parley_scenario *s = c->s;
    size_t n = sizeof comment_keys / sizeof *comment_keys, which = n;
    for (size_t q = 0; key && q < n; q++)
        if (!strcmp(key, comment_keys[q])) which = q;
    if (!key || !value) {
        PERR(c->err, PARLEY_E_NOMEM, c->file, line, 1, NULL, "out of memory");
    } else if (which == n) {
        const char *hint = pu_did_you_mean(key, comment_keys, n);
        PERR(c->err, PARLEY_E_SYNTAX, c->file, line, (int)k0 + 1, "comment",
             "unknown scenario field \"%s\"%s%s%s; expected # name:, # description:, # date:, # notes:, # models: or "
             "# source: (write other comments without a colon after the first word)",
             key, hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
    } else if (which == 5) {
        if (!sc_add_source(s, value)) PERR(c->err, PARLEY_E_NOMEM, c->file, line, 1, NULL, "out of memory");
    } else {
        char **slot[] = {&s->name, &s->description, &s->date, &s->notes, &s->models};
        if (*slot[which])
            PERR(c->err, PARLEY_E_SYNTAX, c->file, line, (int)k0 + 1, "comment", "\"# %s:\" appears twice", key);
        else if (v1 - v0 > PARLEY_MAX_TEXT)
            PERR(c->err, PARLEY_E_LIMIT, c->file, line, (int)v0 + 1, key, "a text of %zu bytes, over the limit of %u bytes",
                 v1 - v0, PARLEY_MAX_TEXT);
        else {
            *slot[which] = value, value = NULL;
            if (which == 4) s->models_loc = (ploc){line, (int)v0 + 1};
        }
    }
    free(key), free(value);
}

/* The shared row loop of the tidy CSV and the BDM table; single_issue names the BDM table's one issue. */
static parley_status read_rows(rd_ctx *c, size_t ncols, const enum col *need, size_t nneed, const char *single_issue)
{
    csv_reader r;
    csv_init(&r, c->data, c->len, 0, 0, c->file);
    csv_record rec = {0};
    pu_map actors = {0}, issues = {0};
    size_t idx[C_COUNT];
    bool header = false;
    int rc;
    size_t before = parley_error_errors(c->err), width = 0;
    char *why = NULL; /* "as in the header (line N)", for the cell-count check */
    for (;;) {
        if (!header) {
            /* Comment lines may come before the header; the delimiter is the header's, not a comment's. */
            const char *text;
            size_t tlen;
            int tline;
            if (csv_comment(&r, &text, &tlen, &tline)) {
                read_comment(c, text, tlen, tline);
                continue;
            }
            csv_redetect(&r);
        }
        if ((rc = csv_read(&r, &rec, c->err)) != 1 || perr_full(c->err)) break;
        if (csv_blank(&rec)) continue;
        if (!header) {
            header = true;
            width = rd_width(&rec);
            why = pu_asprintf("as in the header (line %d)", rec.line);
            if (!why) {
                PERR(c->err, PARLEY_E_NOMEM, c->file, rec.line, 1, NULL, "out of memory");
                break;
            }
            if (!read_header(c, &rec, idx, ncols) || !require(c, idx, need, nneed, rec.line)) break;
            continue;
        }
        /* A row of another width is misread whatever we do with it (a decimal comma shifts every cell after
         * it): one error for the row, and none about its cells. */
        if (!rd_cells(c, &rec, width, r.delim, why)) continue;
        const char *aid = csv_trim(&rec, idx[C_ACTOR]);
        const char *iid = single_issue ? single_issue : csv_trim(&rec, idx[C_ISSUE]);
        if (!*aid) {
            PERR(c->err, PARLEY_E_SYNTAX, c->file, rec.line, idx[C_ACTOR] < rec.n ? rec.f[idx[C_ACTOR]].column : 1,
                 "actor", "expected an actor id, found an empty cell");
            continue;
        }
        if (!*iid) {
            PERR(c->err, PARLEY_E_SYNTAX, c->file, rec.line, idx[C_ISSUE] < rec.n ? rec.f[idx[C_ISSUE]].column : 1,
                 "issue", "expected an issue id, found an empty cell");
            continue;
        }
        size_t a = rd_actor(c, &actors, aid, rec.line, 1);
        size_t k = rd_issue(c, &issues, iid, rec.line, 1);
        if (a == SIZE_MAX || k == SIZE_MAX) break;
        pactor *act = &c->s->actors[a];
        pissue *is = &c->s->issues[k];
        if (idx[C_ACTOR_NAME] != SIZE_MAX) issue_text(c, &rec, idx[C_ACTOR_NAME], &act->name, "actor_name");
        if (idx[C_ACTOR_DESC] != SIZE_MAX) issue_text(c, &rec, idx[C_ACTOR_DESC], &act->description, "actor_description");
        if (idx[C_STRATEGY] != SIZE_MAX) issue_text(c, &rec, idx[C_STRATEGY], &act->strategy, "strategy");
        if (idx[C_RESERVATION] != SIZE_MAX) {
            /* The actor's one value, on any of its rows (blank on the others). */
            double rv;
            if (rd_number(c, &rec, idx[C_RESERVATION], "reservation", true, &rv) && !isnan(rv)) {
                if (!pnum_has(act->reservation)) act->reservation.v = rv;
                else if (act->reservation.v != rv)
                    PERR(c->err, PARLEY_E_INVALID, c->file, rec.f[idx[C_RESERVATION]].line, rec.f[idx[C_RESERVATION]].column,
                         "reservation", "expected %g as on an earlier row of this actor, found %g", act->reservation.v, rv);
                if (!act->loc.line) act->loc = (ploc){rec.line, rec.f[idx[C_RESERVATION]].column};
            }
        }
        issue_text(c, &rec, idx[C_ISSUE_LABEL], &is->label, "issue_label");
        issue_text(c, &rec, idx[C_ISSUE_DESC], &is->description, "issue_description");
        issue_text(c, &rec, idx[C_LOW_LABEL], &is->low_label, "low_label");
        issue_text(c, &rec, idx[C_HIGH_LABEL], &is->high_label, "high_label");
        issue_number(c, &rec, idx[C_LOW], &is->low, "low");
        issue_number(c, &rec, idx[C_HIGH], &is->high, "high");
        issue_number(c, &rec, idx[C_REFERENCE], &is->reference, "reference");
        issue_number(c, &rec, idx[C_OUTCOME], &is->outcome, "outcome");
        double pos, sal, cap = NAN;
        bool ok = rd_number(c, &rec, idx[C_POSITION], "position", false, &pos);
        ok &= rd_number(c, &rec, idx[C_SALIENCE], "salience", false, &sal);
        if (idx[C_CAPABILITY] != SIZE_MAX) ok &= rd_number(c, &rec, idx[C_CAPABILITY], "capability", true, &cap);
        pnum un[3] = {pnum_none(), pnum_none(), pnum_none()};
        for (int f = 0; f < 3; f++) ok &= read_uncertainty(c, &rec, idx, f, &un[f]);
        if (!ok) continue;
        pstance *s = rd_stance(c, rec.line, 1);
        if (!s) break;
        s->actor = a;
        s->issue = k;
        s->position.v = pos, s->position.u = un[0].u;
        s->salience.v = sal, s->salience.u = un[1].u;
        s->capability.v = cap, s->capability.u = un[2].u;
        s->loc = (ploc){rec.line, 1};
        s->col_position = rec.f[idx[C_POSITION]].column;
        s->col_salience = rec.f[idx[C_SALIENCE]].column;
        if (idx[C_CAPABILITY] != SIZE_MAX && idx[C_CAPABILITY] < rec.n) s->col_capability = rec.f[idx[C_CAPABILITY]].column;
        if (idx[C_WHY] != SIZE_MAX && *csv_trim(&rec, idx[C_WHY])) s->position.why = pu_strdup(csv_str(&rec, idx[C_WHY]));
    }
    if (!header && rc >= 0)
        PERR(c->err, PARLEY_E_SYNTAX, c->file, 1, 1, "header", "expected a header row, found none");
    free(why);
    csv_record_free(&rec);
    pu_map_free(&actors);
    pu_map_free(&issues);
    return parley_error_errors(c->err) == before ? PARLEY_OK : parley_error_status(c->err);
}

parley_status rd_csv(rd_ctx *c)
{
    static const enum col need[] = {C_ACTOR, C_ISSUE, C_POSITION, C_SALIENCE};
    parley_status st = read_rows(c, C_COUNT, need, 4, NULL);
    if (st == PARLEY_OK) {
        char *stem = pu_path_stem(c->file);
        if (!c->s->name) c->s->name = stem;
        else free(stem);
    }
    /* Issues whose rows give no scale take the observed range of their positions (also after a fault, so
     * that the value checks of the rows read give no follow-on errors about an unset scale). */
    c->observed_scale = true;
    return st;
}

parley_status rd_bdm(rd_ctx *c)
{
    static const enum col need[] = {C_ACTOR, C_CAPABILITY, C_POSITION, C_SALIENCE};
    char *stem = pu_path_stem(c->file);
    if (!stem) return PARLEY_E_NOMEM;
    /* The BDM table has exactly the columns Actor, Capability, Position, Salience (any order). */
    parley_status st = read_rows(c, C_CAPABILITY + 1, need, 4, stem);
    if (st == PARLEY_OK && !c->s->name) c->s->name = pu_strdup(stem);
    free(stem);
    c->observed_scale = true;
    return st;
}
