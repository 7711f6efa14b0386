/* read_ktab.c - KTAB's SMP CSV: a title line, a header naming the dimensions, one row per actor. */
#include <math.h>
#include <string.h>

#include "reader.h"

/* KTAB writes "$$" for a comma inside a cell. */
static char *ktab_text(const char *s)
{
    char *out = pu_strdup(s);
    if (!out) return NULL;
    char *w = out;
    for (const char *p = s; *p; p++) {
        if (p[0] == '$' && p[1] == '$') {
            *w++ = ',';
            p++;
        } else {
            *w++ = *p;
        }
    }
    *w = '\0';
    return out;
}

parley_status rd_ktab(rd_ctx *c)
{
    csv_reader r;
    csv_init(&r, c->data, c->len, ',', 0, c->file);
    csv_record rec = {0};
    size_t before = parley_error_errors(c->err);
    int rc, stage = 0, title_line = 1;
    char *why = NULL; /* the cell count a row must have, and why */
    size_t n_actors = 0, n_dims = 0, seen = 0;
    pu_map actors = {0}, issues = {0};
    while ((rc = csv_read(&r, &rec, c->err)) == 1 && !perr_full(c->err)) {
        if (csv_blank(&rec)) continue;
        if (stage == 0) {
            double na, nd;
            c->s->name = ktab_text(csv_trim(&rec, 0));
            c->s->description = ktab_text(csv_trim(&rec, 1));
            bool ok = rd_number(c, &rec, 2, "actor count", false, &na);
            ok &= rd_number(c, &rec, 3, "dimension count", false, &nd);
            if (!ok) break;
            if (na < 1 || na > PARLEY_MAX_ACTORS || na != floor(na)) {
                PERR(c->err, PARLEY_E_INVALID, c->file, rec.line, rec.f[2].column, "actor count",
                     "expected a whole number of actors from 1 to %u, found %g", PARLEY_MAX_ACTORS, na);
                break;
            }
            if (nd < 1 || nd > PARLEY_MAX_ISSUES || nd != floor(nd)) {
                PERR(c->err, PARLEY_E_INVALID, c->file, rec.line, rec.f[3].column, "dimension count",
                     "expected a whole number of dimensions from 1 to %u, found %g", PARLEY_MAX_ISSUES, nd);
                break;
            }
            n_actors = (size_t)na;
            n_dims = (size_t)nd;
            title_line = rec.line;
            stage = 1;
        } else if (stage == 1) {
            why = pu_asprintf("(3 and 2 per dimension: the title line on line %d says %zu dimension%s)", title_line, n_dims,
                              n_dims == 1 ? "" : "s");
            if (!why) {
                PERR(c->err, PARLEY_E_NOMEM, c->file, rec.line, 1, NULL, "out of memory");
                break;
            }
            if (rd_width(&rec) > 3 + 2 * n_dims) {
                rd_cells(c, &rec, 3 + 2 * n_dims, ',', why);
                break;
            }
            for (size_t d = 0; d < n_dims; d++) {
                size_t col = 3 + 2 * d;
                const char *name = csv_trim(&rec, col);
                if (!*name) {
                    PERR(c->err, PARLEY_E_SYNTAX, c->file, rec.line, col < rec.n ? rec.f[col].column : 0, "header",
                         "expected a position column naming dimension %zu, found %s", d + 1,
                         col < rec.n ? "an empty cell" : "the end of the line");
                    continue;
                }
                char *id = ktab_text(name);
                if (!id) break;
                size_t prev;
                if (pu_map_get(&issues, id, &prev))
                    PERR(c->err, PARLEY_E_INVALID, c->file, rec.line, rec.f[col].column, "header",
                         "dimension name \"%s\" appears twice", id);
                else if (rd_issue(c, &issues, id, rec.line, rec.f[col].column) != SIZE_MAX) {
                    pissue *is = &c->s->issues[c->s->n_issues - 1];
                    is->low.v = 0; /* KTAB's positions are on 0-100 */
                    is->high.v = 100;
                }
                free(id);
            }
            if (parley_error_errors(c->err) != before) break;
            stage = 2;
        } else {
            if (++seen > n_actors) {
                PERR(c->err, PARLEY_E_INVALID, c->file, rec.line, 1, "actors",
                     "the title line says %zu actors, found more rows", n_actors);
                break;
            }
            /* A row of another width is misread (a decimal comma shifts every cell after it): one error. */
            if (!rd_cells(c, &rec, 3 + 2 * n_dims, ',', why)) continue;
            char *id = ktab_text(csv_trim(&rec, 0));
            if (!id) break;
            if (!*id) {
                PERR(c->err, PARLEY_E_SYNTAX, c->file, rec.line, 1, "actor", "expected an actor name, found an empty cell");
                free(id);
                continue;
            }
            size_t prev;
            if (pu_map_get(&actors, id, &prev)) {
                PERR(c->err, PARLEY_E_INVALID, c->file, rec.line, 1, "actor",
                     "duplicate actor \"%s\" (first on line %d)", id, c->s->actors[prev].loc.line);
                free(id);
                continue;
            }
            size_t a = rd_actor(c, &actors, id, rec.line, 1);
            free(id);
            if (a == SIZE_MAX) break;
            c->s->actors[a].description = ktab_text(csv_trim(&rec, 1));
            double cap;
            if (rd_number(c, &rec, 2, "capability", false, &cap)) c->s->actors[a].capability.v = cap;
            for (size_t d = 0; d < n_dims; d++) {
                double pos, sal;
                bool ok = rd_number(c, &rec, 3 + 2 * d, "position", false, &pos);
                ok &= rd_number(c, &rec, 4 + 2 * d, "salience", false, &sal);
                if (!ok) continue;
                pstance *s = rd_stance(c, rec.line, rec.f[3 + 2 * d].column);
                if (!s) goto stop;
                s->actor = a;
                s->issue = d;
                s->position.v = pos;
                s->salience.v = sal;
                s->loc = (ploc){rec.line, rec.f[3 + 2 * d].column};
                s->col_salience = rec.f[4 + 2 * d].column;
            }
        }
    }
stop:
    if (rc >= 0 && parley_error_errors(c->err) == before && seen != n_actors)
        PERR(c->err, PARLEY_E_INVALID, c->file, r.line, 0, "actors", "the title line says %zu actors, found %zu rows",
             n_actors, seen);
    if (rc >= 0 && stage < 2 && parley_error_errors(c->err) == before)
        PERR(c->err, PARLEY_E_SYNTAX, c->file, r.line, 0, NULL, "expected a title line and a header, found the end");
    free(why);
    csv_record_free(&rec);
    pu_map_free(&actors);
    pu_map_free(&issues);
    c->declared_salience_scale = "percent"; /* KTAB's saliences are 0-100 */
    return parley_error_errors(c->err) == before ? PARLEY_OK : parley_error_status(c->err);
}
