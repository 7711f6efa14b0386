/* read_deu.c - DEU III data (tab-separated): one EU decision per row, a batch of one-issue negotiations. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reader.h"

static const struct {
    const char *code, *name;
} deu_names[] = {
    {"com", "European Commission"}, {"ep", "European Parliament"}, {"at", "Austria"}, {"be", "Belgium"},
    {"bu", "Bulgaria"}, {"cr", "Croatia"}, {"cy", "Cyprus"}, {"cz", "Czech Republic"}, {"dk", "Denmark"},
    {"ee", "Estonia"}, {"fi", "Finland"}, {"fr", "France"}, {"de", "Germany"}, {"el", "Greece"},
    {"hu", "Hungary"}, {"ie", "Ireland"}, {"it", "Italy"}, {"lv", "Latvia"}, {"lt", "Lithuania"},
    {"lu", "Luxembourg"}, {"mt", "Malta"}, {"nl", "Netherlands"}, {"pl", "Poland"}, {"pt", "Portugal"},
    {"ro", "Romania"}, {"si", "Slovenia"}, {"sk", "Slovakia"}, {"es", "Spain"}, {"se", "Sweden"},
    {"uk", "United Kingdom"}};

/* Converts "dd-mm-yy" or "yyyy-mm-dd" into ISO 8601; returns false when the text is no plausible date. */
static bool iso_date(const char *t, char out[11])
{
    int a, b, y;
    char tail;
    if (sscanf(t, "%4d-%2d-%2d%c", &y, &b, &a, &tail) == 3 && y >= 1950 && y <= 2100) {
    } else if (sscanf(t, "%2d-%2d-%2d%c", &a, &b, &y, &tail) == 3 && strlen(t) == 8) {
        y += y < 50 ? 2000 : 1900;
    } else {
        return false;
    }
    if (b < 1 || b > 12 || a < 1 || a > 31) return false;
    snprintf(out, 11, "%04d-%02d-%02d", y, b, a);
    return true;
}

parley_status rd_deu(rd_ctx *c)
{
    csv_reader r;
    csv_init(&r, c->data, c->len, '\t', 0, c->file);
    csv_record rec = {0};
    size_t before = parley_error_errors(c->err);
    char **head = NULL;
    size_t nhead = 0;
    size_t col_rp = SIZE_MAX, col_out = SIZE_MAX, col_isnr = SIZE_MAX, col_prnr = SIZE_MAX, col_isnrnmc = SIZE_MAX,
           col_prname = SIZE_MAX, col_intro = SIZE_MAX;
    /* For each actor: its position and salience columns. */
    size_t actor_pcol[64], actor_scol[64], n_act = 0;
    pu_map issues = {0};
    int rc;
    bool header = false;
    size_t width = 0;
    char *why = NULL;
    while ((rc = csv_read(&r, &rec, c->err)) == 1 && !perr_full(c->err)) {
        if (csv_blank(&rec)) continue;
        if (!header) {
            header = true;
            nhead = rec.n;
            width = rd_width(&rec);
            why = pu_asprintf("as in the header (line %d)", rec.line);
            if (!why) goto nomem;
            head = calloc(nhead, sizeof *head);
            if (!head) goto nomem;
            for (size_t i = 0; i < nhead; i++) {
                head[i] = pu_strdup(csv_trim(&rec, i));
                if (!head[i]) goto nomem;
                for (char *p = head[i]; *p; p++) *p = (char)tolower((unsigned char)*p);
            }
            for (size_t i = 0; i < nhead; i++)
                for (size_t j = 0; j < i; j++)
                    if (*head[i] && !strcmp(head[i], head[j]))
                        PERR(c->err, PARLEY_E_SYNTAX, c->file, rec.line, rec.f[i].column, "header",
                             "column \"%s\" appears twice (first in column %zu)", head[i], j + 1);
            if (parley_error_errors(c->err) != before) break;
            for (size_t i = 0; i < nhead; i++) {
                if (!strcmp(head[i], "rp")) col_rp = i;
                else if (!strcmp(head[i], "out")) col_out = i;
                else if (!strcmp(head[i], "isnr")) col_isnr = i;
                else if (!strcmp(head[i], "prnrnmc")) col_prnr = i;
                else if (!strcmp(head[i], "isnrnmc")) col_isnrnmc = i;
                else if (!strcmp(head[i], "prname")) col_prname = i;
                else if (!strcmp(head[i], "intro")) col_intro = i;
            }
            for (size_t a = 0; a < sizeof deu_names / sizeof *deu_names; a++) {
                size_t pc = SIZE_MAX, scl = SIZE_MAX;
                for (size_t i = 0; i < nhead; i++) {
                    if (head[i][0] == 'p' && !strcmp(head[i] + 1, deu_names[a].code)) pc = i;
                    if (head[i][0] == 's' && !strcmp(head[i] + 1, deu_names[a].code)) scl = i;
                }
                if (pc == SIZE_MAX && scl == SIZE_MAX) continue;
                if (pc == SIZE_MAX || scl == SIZE_MAX) {
                    PERR(c->err, PARLEY_E_SYNTAX, c->file, rec.line, 1, "header",
                         "expected both p%s and s%s columns, found only one", deu_names[a].code, deu_names[a].code);
                    continue;
                }
                parley_status st = PARLEY_OK;
                pactor *act = sc_new_actor(c->s, &st);
                if (!act) goto nomem;
                act->id = pu_strdup(deu_names[a].code);
                act->name = pu_strdup(deu_names[a].name);
                act->loc = (ploc){rec.line, rec.f[pc].column};
                actor_pcol[n_act] = pc;
                actor_scol[n_act++] = scl;
            }
            if (col_out == SIZE_MAX)
                PERR(c->err, PARLEY_E_SYNTAX, c->file, rec.line, 1, "header", "expected an \"out\" column, found none");
            if (n_act == 0)
                PERR(c->err, PARLEY_E_SYNTAX, c->file, rec.line, 1, "header",
                     "expected position and salience columns (pcom, scom, pep, ...), found none");
            if (parley_error_errors(c->err) != before) break;
            continue;
        }
        /* A row of another width than the header is misread whatever we do with it: one error, no more. */
        if (!rd_cells(c, &rec, width, '\t', why)) continue;
        /* One issue per row. Its id is built whole, however long (no fixed-size buffer to clip it). */
        const char *isnr = col_isnr != SIZE_MAX ? csv_trim(&rec, col_isnr) : "";
        char *idbuf = *isnr ? pu_strdup(isnr)
                            : pu_asprintf("p%si%s", col_prnr != SIZE_MAX ? csv_trim(&rec, col_prnr) : "",
                                          col_isnrnmc != SIZE_MAX ? csv_trim(&rec, col_isnrnmc) : "");
        if (!idbuf) goto nomem;
        size_t prev;
        if (pu_map_get(&issues, idbuf, &prev)) {
            PERR(c->err, PARLEY_E_INVALID, c->file, rec.line, 1, "isnr", "duplicate issue \"%s\" (first on line %d)",
                 idbuf, c->s->issues[prev].loc.line);
            free(idbuf);
            continue;
        }
        size_t k = rd_issue(c, &issues, idbuf, rec.line, 1);
        free(idbuf);
        if (k == SIZE_MAX) break;
        pissue *is = &c->s->issues[k];
        is->low.v = 0; /* DEU positions are on 0-100 */
        is->high.v = 100;
        if (col_prname != SIZE_MAX && *csv_trim(&rec, col_prname)) is->description = pu_strdup(csv_str(&rec, col_prname));
        char iso[11];
        if (col_intro != SIZE_MAX && iso_date(csv_trim(&rec, col_intro), iso)) is->date = pu_strdup(iso);
        if (col_rp != SIZE_MAX) rd_number(c, &rec, col_rp, "rp", true, &is->reference.v);
        rd_number(c, &rec, col_out, "out", true, &is->outcome.v);
        /* Metadata columns are kept as text, however messy, and never rejected. */
        for (size_t i = 0; i < nhead && i < rec.n; i++) {
            bool actor_col = false;
            for (size_t a = 0; a < n_act; a++) actor_col |= i == actor_pcol[a] || i == actor_scol[a];
            if (actor_col || i == col_rp || i == col_out || !*head[i]) continue;
            const char *v = csv_trim(&rec, i);
            if (*v && !sc_issue_add_attr(is, head[i], v)) goto nomem;
        }
        for (size_t a = 0; a < n_act; a++) {
            double pos, sal;
            bool ok = rd_number(c, &rec, actor_pcol[a], head[actor_pcol[a]], true, &pos);
            ok &= rd_number(c, &rec, actor_scol[a], head[actor_scol[a]], true, &sal);
            /* An actor takes part only when it has both a position and a salience. */
            if (!ok || isnan(pos) || isnan(sal)) continue;
            pstance *s = rd_stance(c, rec.line, rec.f[actor_pcol[a]].column);
            if (!s) goto done;
            s->actor = a;
            s->issue = k;
            s->position.v = pos;
            s->salience.v = sal;
            s->loc = (ploc){rec.line, rec.f[actor_pcol[a]].column};
            s->col_salience = rec.f[actor_scol[a]].column;
        }
    }
    if (!header && rc >= 0) PERR(c->err, PARLEY_E_SYNTAX, c->file, 1, 1, "header", "expected a header row, found none");
    goto done;
nomem:
    PERR(c->err, PARLEY_E_NOMEM, c->file, 0, 0, NULL, "out of memory");
done:
    for (size_t i = 0; i < nhead; i++) free(head[i]);
    free(head);
    free(why);
    csv_record_free(&rec);
    pu_map_free(&issues);
    c->s->batch = true;
    if (!c->s->name) c->s->name = pu_path_stem(c->file);
    c->declared_salience_scale = "percent"; /* DEU saliences are 0-100 */
    return parley_error_errors(c->err) == before ? PARLEY_OK : parley_error_status(c->err);
}
