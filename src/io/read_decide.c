/* read_decide.c - the Decide exchange model's rows: #A actor, #P issue, #M scale point, #D stance. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

static const char *tag_of(csv_record *rec)
{
    return csv_trim(rec, 0);
}

static void unknown_ref(rd_ctx *c, csv_record *rec, size_t col, const char *kind, const char *id,
                        const parley_scenario *s, bool actor)
{
    size_t n = actor ? s->n_actors : s->n_issues;
    const char **names = malloc((n ? n : 1) * sizeof *names);
    const char *hint = NULL;
    if (names) {
        for (size_t i = 0; i < n; i++) names[i] = actor ? s->actors[i].id : s->issues[i].id;
        hint = pu_did_you_mean(id, names, n);
    }
    PERR(c->err, PARLEY_E_INVALID, c->file, rec->f[col].line, rec->f[col].column, kind,
         "unknown %s \"%s\" (no #%c row declares it)%s%s%s", kind, id, actor ? 'A' : 'P',
         hint ? "; did you mean \"" : "", hint ? hint : "", hint ? "\"?" : "");
    free(names);
}

parley_status rd_decide(rd_ctx *c)
{
    csv_reader r;
    csv_record rec = {0};
    pu_map actors = {0}, issues = {0};
    size_t before = parley_error_errors(c->err);
    int rc;
    /* Pass 1: actors, issues, scale points, the title; pass 2: stances, so rows may come in any order. */
    for (int pass = 1; pass <= 2; pass++) {
        csv_init(&r, c->data, c->len, 0, '\'', c->file);
        while ((rc = csv_read(&r, &rec, c->err)) == 1 && !perr_full(c->err)) {
            if (csv_blank(&rec)) continue;
            const char *tag = tag_of(&rec);
            if (pass == 1 && tag[0] != '#') {
                PERR(c->err, PARLEY_E_SYNTAX, c->file, rec.line, rec.f[0].column, "row",
                     "expected a row starting with #A, #P, #M, #D, #O or #/, found \"%.20s\"", tag);
                continue;
            }
            char t = tag[1];
            /* Each row type has its cells; a row of more (a decimal comma in a comma-separated file shifts
             * every cell after it) or, for #M and #D, fewer is one error, and the row is skipped. */
            if (pass == 1 && ((t == 'A' || t == 'P') ? rd_width(&rec) > 4 : (t == 'M' || t == 'D'))) {
                static const char *const why_ap = "(the tag, an id, a name and a description)";
                static const char *const why_m = "(#M, an issue and a point of its scale)";
                static const char *const why_d = "(#D, an actor, an issue, a position, a salience and a power)";
                size_t want = t == 'M' ? 3 : t == 'D' ? 6 : 4;
                if (!rd_cells(c, &rec, want, r.delim, t == 'M' ? why_m : t == 'D' ? why_d : why_ap)) continue;
            }
            if (pass == 1 && (t == 'A' || t == 'P')) {
                const char *id = csv_trim(&rec, 1);
                if (!*id) {
                    PERR(c->err, PARLEY_E_SYNTAX, c->file, rec.line, 1, t == 'A' ? "actor" : "issue",
                         "expected an id in the second cell, found none");
                    continue;
                }
                size_t prev;
                if (pu_map_get(t == 'A' ? &actors : &issues, id, &prev)) {
                    PERR(c->err, PARLEY_E_INVALID, c->file, rec.line, rec.f[1].column, t == 'A' ? "actor" : "issue",
                         "duplicate %s id \"%s\"", t == 'A' ? "actor" : "issue", id);
                    continue;
                }
                size_t i = t == 'A' ? rd_actor(c, &actors, id, rec.line, rec.f[1].column)
                                    : rd_issue(c, &issues, id, rec.line, rec.f[1].column);
                if (i == SIZE_MAX) goto done;
                const char *name = csv_trim(&rec, 2), *desc = csv_trim(&rec, 3);
                char **nslot = t == 'A' ? &c->s->actors[i].name : &c->s->issues[i].label;
                char **dslot = t == 'A' ? &c->s->actors[i].description : &c->s->issues[i].description;
                if (*name && strcmp(name, id) != 0) sc_set_str(nslot, name);
                if (*desc) sc_set_str(dslot, desc);
            } else if (pass == 1 && t == 'O') {
                if (*csv_trim(&rec, 1)) sc_set_str(&c->s->name, csv_str(&rec, 1));
            } else if (pass == 2 && t == 'M') {
                const char *id = csv_trim(&rec, 1);
                size_t k;
                if (!pu_map_get(&issues, id, &k)) {
                    unknown_ref(c, &rec, 1, "issue", id, c->s, false);
                    continue;
                }
                double v;
                if (!rd_number(c, &rec, 2, "scale point", false, &v)) continue;
                pissue *is = &c->s->issues[k];
                if (!pnum_has(is->low) || v < is->low.v) is->low.v = v;
                if (!pnum_has(is->high) || v > is->high.v) is->high.v = v;
            } else if (pass == 2 && t == 'D') {
                const char *aid = csv_trim(&rec, 1);
                const char *iid = csv_trim(&rec, 2);
                size_t a, k;
                bool ok = true;
                if (!pu_map_get(&actors, aid, &a)) unknown_ref(c, &rec, 1, "actor", aid, c->s, true), ok = false;
                if (!pu_map_get(&issues, iid, &k)) unknown_ref(c, &rec, 2, "issue", iid, c->s, false), ok = false;
                double pos, sal, pow;
                ok &= rd_number(c, &rec, 3, "position", false, &pos);
                ok &= rd_number(c, &rec, 4, "salience", false, &sal);
                ok &= rd_number(c, &rec, 5, "power", false, &pow);
                if (!ok) continue;
                pstance *s = rd_stance(c, rec.line, rec.f[0].column);
                if (!s) goto done;
                s->actor = a;
                s->issue = k;
                s->position.v = pos;
                s->salience.v = sal;
                s->capability.v = pow;
                s->loc = (ploc){rec.line, rec.f[0].column};
                s->col_position = rec.f[3].column;
                s->col_salience = rec.f[4].column;
                s->col_capability = rec.f[5].column;
            } else if (pass == 1 && t != '/' && t != 'M' && t != 'D') {
                PERR(c->err, PARLEY_E_SYNTAX, c->file, rec.line, rec.f[0].column, "row",
                     "unknown row type \"%.10s\"; expected #A, #P, #M, #D, #O or #/", tag);
            }
        }
        if (rc < 0 || parley_error_errors(c->err) != before) break;
    }
    /* An issue without #M rows lies on the Decide model's default scale, 0-100. */
    for (size_t k = 0; k < c->s->n_issues; k++) {
        pissue *is = &c->s->issues[k];
        if (!pnum_has(is->low)) is->low.v = 0, is->high.v = 100;
    }
done:
    csv_record_free(&rec);
    pu_map_free(&actors);
    pu_map_free(&issues);
    if (!c->s->name) c->s->name = pu_path_stem(c->file);
    return parley_error_errors(c->err) == before ? PARLEY_OK : parley_error_status(c->err);
}
