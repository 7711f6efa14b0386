/* read_outcomes.c - known outcomes kept in their own CSV (issue,outcome,date,why,source), applied to a copy of a scenario. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "reader.h"

enum { O_ISSUE = 0, O_OUTCOME, O_DATE, O_WHY, O_SOURCE, O_COLUMNS };
static const char *const columns[O_COLUMNS] = {"issue", "outcome", "date", "why", "source"};
#define HEADER "issue,outcome,date,why,source"

/* One issue's row, as read (texts owned; NULL when blank). */
typedef struct orow {
    int line; /* 0: the file has no row for the issue */
    double value;
    char *date, *why, *source;
} orow;

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Whether t is a calendar date written YYYY-MM-DD. */
static bool is_date(const char *t)
{
    if (strlen(t) != 10 || t[4] != '-' || t[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (t[i] < '0' || t[i] > '9')) return false;
    int y = atoi(t), m = atoi(t + 5), d = atoi(t + 8);
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] + (m == 2 && leap(y));
}

/* Checks the header: exactly the five columns, in order (case and surrounding blanks aside). Reports the
 * first column that differs and returns false. */
static bool check_header(rd_ctx *c, csv_record *rec)
{
    size_t n = rd_width(rec);
    for (size_t i = 0; i < n && i < O_COLUMNS; i++) {
        const char *h = csv_trim(rec, i);
        if (!pu_strcasecmp(h, columns[i])) continue;
        const char *hint = pu_did_you_mean(h, columns, O_COLUMNS);
        PERR(c->err, PARLEY_E_SYNTAX, c->file, rec->line, rec->f[i].column, "header",
             "expected the column \"%s\" here (the header is " HEADER "), found \"%.40s\"%s%s%s", columns[i], h,
             hint && strcmp(hint, columns[i]) ? " (did you mean \"" : "", hint && strcmp(hint, columns[i]) ? hint : "",
             hint && strcmp(hint, columns[i]) ? "\"?)" : "");
        return false;
    }
    if (n > O_COLUMNS) {
        PERR(c->err, PARLEY_E_SYNTAX, c->file, rec->line, rec->f[O_COLUMNS].column, "header",
             "expected the header " HEADER ", found an extra column \"%.40s\"", csv_trim(rec, O_COLUMNS));
        return false;
    }
    if (n < O_COLUMNS) {
        PERR(c->err, PARLEY_E_SYNTAX, c->file, rec->line, n ? rec->f[n - 1].column : 1, "header",
             "expected the header " HEADER ", found %zu column%s (no \"%s\")", n, n == 1 ? "" : "s", columns[n]);
        return false;
    }
    return true;
}

/* Returns a copy of the trimmed text of cell i, NULL when blank; *ok false when it is over the text limit
 * (reported) or memory ran out. */
static char *cell_text(rd_ctx *c, csv_record *rec, size_t i, bool *ok)
{
    const char *t = csv_trim(rec, i);
    if (!*t) return NULL;
    size_t n = strlen(t);
    if (n > PARLEY_MAX_TEXT) {
        PERR(c->err, PARLEY_E_LIMIT, c->file, rec->f[i].line, rec->f[i].column, columns[i],
             "expected at most %u bytes of text, found %zu", PARLEY_MAX_TEXT, n);
        *ok = false;
        return NULL;
    }
    char *copy = pu_strdup(t);
    if (!copy) {
        PERR(c->err, PARLEY_E_NOMEM, c->file, 0, 0, NULL, "out of memory");
        *ok = false;
    }
    return copy;
}

/* Reads one data row into rows[issue]; reports each fault of the row. */
static void read_row(rd_ctx *c, const parley_scenario *s, const char *const *ids, csv_record *rec, orow *rows,
                     int header_line, char delim)
{
    char why[64];
    snprintf(why, sizeof why, "as in the header (line %d)", header_line);
    if (!rd_cells(c, rec, O_COLUMNS, delim, why)) return;
    const char *id = csv_trim(rec, O_ISSUE);
    int line = rec->f[O_ISSUE].line, col = rec->f[O_ISSUE].column;
    size_t k;
    if (!*id) {
        PERR(c->err, PARLEY_E_SYNTAX, c->file, line, col, "issue", "expected an issue id, found an empty cell");
        return;
    }
    if (!parley_scenario_find_issue(s, id, &k)) {
        const char *hint = pu_did_you_mean(id, ids, parley_scenario_issue_count(s));
        size_t nk = parley_scenario_issue_count(s);
        PERR(c->err, PARLEY_E_INVALID, c->file, line, col, "issue",
             "unknown issue \"%.60s\"%s%.60s%s; expected one of the scenario's %zu issue%s", id,
             hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "", nk, nk == 1 ? "" : "s");
        return;
    }
    if (rows[k].line) {
        PERR(c->err, PARLEY_E_INVALID, c->file, line, col, "issue",
             "expected one row per issue, found \"%.60s\" again (first on line %d)", id, rows[k].line);
        return;
    }
    const char *ot = csv_trim(rec, O_OUTCOME);
    int ocol = rec->f[O_OUTCOME].column;
    double v;
    bool comma = strchr(ot, ',') != NULL; /* "10,5" quoted in a comma-separated file, or in a ';' one */
    if (!*ot) {
        PERR(c->err, PARLEY_E_SYNTAX, c->file, line, ocol, "outcome",
             "expected a number on the scale of issue \"%.60s\", found an empty cell", id);
        return;
    }
    if (!pu_parse_double(ot, strlen(ot), comma, &v)) {
        PERR(c->err, PARLEY_E_SYNTAX, c->file, line, ocol, "outcome",
             "expected a number on the scale of issue \"%.60s\", found \"%.40s\"", id, ot);
        return;
    }
    double lo = parley_issue_number(s, k, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, k, PARLEY_ISSUE_HIGH);
    if (!(v >= fmin(lo, hi) && v <= fmax(lo, hi))) {
        PERR(c->err, PARLEY_E_INVALID, c->file, line, ocol, "outcome",
             "expected an outcome on the scale [%g, %g] of issue \"%.60s\", found %g", lo, hi, id, v);
        return;
    }
    const char *dt = csv_trim(rec, O_DATE);
    if (*dt && !is_date(dt)) {
        PERR(c->err, PARLEY_E_INVALID, c->file, line, rec->f[O_DATE].column, "date",
             "expected the date the outcome was settled as YYYY-MM-DD (or nothing), found \"%.40s\"", dt);
        return;
    }
    bool ok = true;
    orow r = {line, v, cell_text(c, rec, O_DATE, &ok), NULL, NULL};
    if (ok) r.why = cell_text(c, rec, O_WHY, &ok);
    if (ok) r.source = cell_text(c, rec, O_SOURCE, &ok);
    if (!ok) {
        free(r.date), free(r.why), free(r.source);
        return;
    }
    rows[k] = r;
}

/* Sets the issue attribute key to value, or removes it when value is NULL. Returns false when out of memory. */
static bool put_attr(pissue *is, const char *key, const char *value)
{
    for (size_t a = 0; a < is->n_attrs; a++) {
        if (strcmp(is->attrs[a].key, key)) continue;
        if (value) return sc_set_str(&is->attrs[a].value, value);
        free(is->attrs[a].key), free(is->attrs[a].value);
        memmove(&is->attrs[a], &is->attrs[a + 1], (is->n_attrs - a - 1) * sizeof *is->attrs);
        is->n_attrs--;
        return true;
    }
    return !value || sc_issue_add_attr(is, key, value);
}

/* Gives copy (a private clone) the outcomes of rows, and notes the issues without a row. Takes the
 * rows' texts. Returns false when out of memory. */
static bool apply_rows(rd_ctx *c, parley_scenario *copy, orow *rows)
{
    for (size_t k = 0; k < copy->n_issues; k++) {
        pissue *is = &copy->issues[k];
        double had = is->outcome.v;
        free(is->outcome.why);
        is->outcome = pnum_none();
        if (!rows[k].line) {
            if (isnan(had))
                PNOTE(c->err, c->file, 0, 0, "issue", "\"%s\" has no row, so it has no known outcome and is not scored", is->id);
            else
                PWARN(c->err, c->file, 0, 0, "issue",
                      "\"%s\" has no row, so its outcome in the scenario (%g) is set aside and it is not scored", is->id, had);
        } else {
            is->outcome.v = rows[k].value;
            is->outcome.why = rows[k].why;
            rows[k].why = NULL;
        }
        if (!put_attr(is, "outcome_date", rows[k].date) || !put_attr(is, "outcome_source", rows[k].source)) return false;
    }
    return true;
}

parley_status parley_outcomes_apply_buffer(const parley_scenario *s, const char *data, size_t len, const char *name,
                                           parley_scenario **out, parley_error *err)
{
    *out = NULL;
    /* Faults are told by the errors added: without a caller's list there must still be one. */
    parley_error *own = err ? NULL : parley_error_new();
    if (!err && !own) return PARLEY_E_NOMEM;
    if (!err) err = own;
    if (!name) name = "<outcomes>";
    parley_status st = PARLEY_OK;
    if (!s || !s->finalized) {
        st = PERR(err, PARLEY_E_USAGE, name, 0, 0, NULL, "outcomes apply to a finalized scenario");
        goto done;
    }
    if (len > PARLEY_MAX_FILE_BYTES) {
        st = PERR(err, PARLEY_E_LIMIT, name, 0, 0, NULL, "the file is %zu bytes, over the limit of %u bytes (64 MiB)", len,
                  PARLEY_MAX_FILE_BYTES);
        goto done;
    }
    /* The byte-order mark is skipped here, so that columns on line 1 count from the text. */
    size_t bom = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
    const char *text = data + bom;
    size_t tlen = len - bom;
    if (pu_is_blank(text, tlen)) {
        st = PERR(err, PARLEY_E_SYNTAX, name, 0, 0, NULL, "expected the header " HEADER " and a row per issue, found an empty file");
        goto done;
    }
    const char *nul = memchr(text, '\0', tlen);
    size_t bad = nul ? (size_t)(nul - text) : pu_utf8_invalid(text, tlen);
    if (bad != SIZE_MAX) {
        int line = 1, col = 1;
        for (size_t i = 0; i < bad; i++) {
            if (text[i] == '\n') line++, col = 1;
            else col++;
        }
        if (nul) st = PERR(err, PARLEY_E_SYNTAX, name, line, col, NULL, "expected text, found a NUL byte (a binary file?)");
        else st = PERR(err, PARLEY_E_SYNTAX, name, line, col, NULL, "expected UTF-8 text, found the byte 0x%02x (save the file as UTF-8)",
                       (unsigned char)text[bad]);
        goto done;
    }
    size_t nk = parley_scenario_issue_count(s);
    orow *rows = calloc(nk ? nk : 1, sizeof *rows);
    const char **ids = malloc((nk ? nk : 1) * sizeof *ids);
    if (!rows || !ids) {
        free(rows), free(ids);
        st = PERR(err, PARLEY_E_NOMEM, name, 0, 0, NULL, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < nk; k++) ids[k] = parley_issue_id(s, k);
    rd_ctx c = {text, tlen, name, NULL, err, NULL, false};
    csv_reader r;
    /* The header fixes the delimiter: the file is written with commas, but ';' and tabs read too. */
    csv_init(&r, text, tlen, 0, 0, name);
    csv_record rec = {0};
    size_t before = parley_error_errors(err);
    int header_line = 0, rc;
    size_t n_rows = 0;
    while ((rc = csv_read(&r, &rec, err)) == 1 && !perr_full(err)) {
        if (csv_blank(&rec)) continue;
        if (!header_line) {
            header_line = rec.line;
            if (!check_header(&c, &rec)) break; /* rows read under a wrong header would only mislead */
            continue;
        }
        n_rows++;
        read_row(&c, s, ids, &rec, rows, header_line, r.delim);
    }
    csv_record_free(&rec);
    free(ids);
    if (parley_error_errors(err) == before && n_rows == 0)
        PERR(err, PARLEY_E_SYNTAX, name, header_line, 1, NULL, "expected a row per issue with a known outcome after the header, found none");
    parley_scenario *copy = NULL;
    if (parley_error_errors(err) == before) {
        copy = parley_scenario_clone(s);
        if (!copy || !apply_rows(&c, copy, rows)) {
            PERR(err, PARLEY_E_NOMEM, name, 0, 0, NULL, "out of memory");
            parley_scenario_free(copy);
            copy = NULL;
        }
    }
    for (size_t k = 0; k < nk; k++) free(rows[k].date), free(rows[k].why), free(rows[k].source);
    free(rows);
    if (!copy) {
        st = parley_error_status(err);
        if (st == PARLEY_OK) st = PARLEY_E_INTERNAL;
        goto done;
    }
    *out = copy;
done:
    parley_error_free(own);
    return st;
}

parley_status parley_outcomes_apply(const parley_scenario *s, const char *path, parley_scenario **out, parley_error *err)
{
    *out = NULL;
    bool is_stdin = !strcmp(path, "-");
    const char *name = is_stdin ? "<stdin>" : path;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        int e = errno;
        return PERR(err, pu_errno_is_callers(e) ? PARLEY_E_USAGE : PARLEY_E_IO, path, 0, 0, "--outcomes",
                    "cannot open the outcomes file: %s", strerror(e));
    }
    struct stat sb;
    if (!is_stdin && fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fclose(f);
        return PERR(err, PARLEY_E_USAGE, path, 0, 0, "--outcomes", "cannot open the outcomes file: expected a file, found a folder");
    }
    pu_buf data = {0};
    char chunk[65536];
    size_t n;
    while (data.len <= PARLEY_MAX_FILE_BYTES && (n = fread(chunk, 1, sizeof chunk, f)) > 0) pu_buf_append(&data, chunk, n);
    bool failed = ferror(f);
    int e = errno;
    if (!is_stdin) fclose(f);
    parley_status st;
    if (failed)
        st = PERR(err, pu_errno_is_callers(e) ? PARLEY_E_USAGE : PARLEY_E_IO, name, 0, 0, "--outcomes", "read error: %s", strerror(e));
    else if (data.failed)
        st = PERR(err, PARLEY_E_NOMEM, name, 0, 0, NULL, "out of memory");
    else if (data.len > PARLEY_MAX_FILE_BYTES)
        st = PERR(err, PARLEY_E_LIMIT, name, 0, 0, NULL, "the file is larger than the limit of %u bytes (64 MiB)", PARLEY_MAX_FILE_BYTES);
    else
        st = parley_outcomes_apply_buffer(s, data.data ? data.data : "", data.len, name, out, err);
    pu_buf_free(&data);
    return st;
}
