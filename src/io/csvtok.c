/* csvtok.c - parley's own delimited-text tokenizer. */
#include "csvtok.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error_internal.h"
#include "../core/util.h"

/* Returns the delimiter (tab, ';' or ',') that occurs most often outside quotes in the first non-blank
 * line from pos on. */
static char detect_delim(const char *data, size_t len, size_t i)
{
    while (i < len && (data[i] == '\n' || data[i] == '\r' || data[i] == ' ')) i++;
    size_t counts[3] = {0, 0, 0};
    bool inq = false;
    for (; i < len && (inq || data[i] != '\n'); i++) {
        char c = data[i];
        if (c == '"') inq = !inq;
        else if (!inq && c == '\t') counts[0]++;
        else if (!inq && c == ';') counts[1]++;
        else if (!inq && c == ',') counts[2]++;
    }
    char delim = ',';
    if (counts[1] > counts[2]) delim = ';';
    if (counts[0] && counts[0] >= counts[1] && counts[0] >= counts[2]) delim = '\t';
    return delim;
}

void csv_init(csv_reader *r, const char *data, size_t len, char delim, char quote2, const char *file)
{
    memset(r, 0, sizeof *r);
    r->data = data;
    r->len = len;
    r->line = 1;
    r->quote2 = quote2;
    r->file = file;
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB && (unsigned char)data[2] == 0xBF)
        r->pos = 3;
    r->delim = delim ? delim : detect_delim(data, len, r->pos);
}

void csv_redetect(csv_reader *r)
{
    r->delim = detect_delim(r->data, r->len, r->pos);
}

static bool rec_push_char(csv_record *rec, char c)
{
    if (!pu_grow((void **)&rec->text, &rec->text_cap, rec->text_len + 2, 1)) return false;
    rec->text[rec->text_len++] = c;
    return true;
}

static bool rec_new_field(csv_record *rec, int line, int column)
{
    if (!pu_grow((void **)&rec->f, &rec->cap, rec->n + 1, sizeof *rec->f)) return false;
    rec->f[rec->n++] = (csv_field){rec->text_len, 0, line, column, false, 0};
    return true;
}

static bool rec_end_field(csv_record *rec)
{
    csv_field *f = &rec->f[rec->n - 1];
    f->len = rec->text_len - f->off;
    return rec_push_char(rec, '\0');
}

int csv_read(csv_reader *r, csv_record *rec, parley_error *err)
{
    rec->text_len = 0;
    rec->n = 0;
    if (r->pos >= r->len) return 0;
    rec->line = r->line;
    size_t line_start = r->pos, rec_start = r->pos;
    /* Column numbers count bytes from the start of the field's line. */
    if (!rec_new_field(rec, r->line, 1)) goto nomem;
    bool at_field_start = true;
    while (r->pos < r->len) {
        if (r->pos - rec_start > CSV_MAX_RECORD) {
            PERR(err, PARLEY_E_LIMIT, r->file, rec->line, 1, NULL, "a record longer than the limit of %u bytes (1 MiB)",
                 CSV_MAX_RECORD);
            return -1;
        }
        char c = r->data[r->pos];
        if (at_field_start && (c == '"' || (r->quote2 && c == r->quote2))) {
            char q = c;
            int qline = r->line, qcol = (int)(r->pos - line_start) + 1;
            rec->f[rec->n - 1].quoted = true;
            r->pos++;
            for (;;) {
                if (r->pos >= r->len) {
                    PERR(err, PARLEY_E_SYNTAX, r->file, qline, qcol, NULL,
                         "expected a closing %c for the quote opened here, found the end of the file", q);
                    return -1;
                }
                char d = r->data[r->pos++];
                if (d == q) {
                    if (r->pos < r->len && r->data[r->pos] == q) {
                        r->pos++;
                        if (!rec_push_char(rec, q)) goto nomem;
                        continue;
                    }
                    csv_field *f = &rec->f[rec->n - 1];
                    f->qlen = rec->text_len - f->off;
                    break;
                }
                if (d == '\n') {
                    r->line++;
                    line_start = r->pos;
                }
                if (!rec_push_char(rec, d)) goto nomem;
            }
            at_field_start = false;
            continue;
        }
        if (c == r->delim) {
            r->pos++;
            if (!rec_end_field(rec) || !rec_new_field(rec, r->line, (int)(r->pos - line_start) + 1)) goto nomem;
            at_field_start = true;
            continue;
        }
        if (c == '\n' || c == '\r') {
            r->pos++;
            if (c == '\r' && r->pos < r->len && r->data[r->pos] == '\n') r->pos++;
            r->line++;
            break;
        }
        if (at_field_start && c == ' ') {
            /* Leading blanks before a quote are skipped; before other text they are kept (and trimmed later). */
            size_t k = r->pos;
            while (k < r->len && r->data[k] == ' ') k++;
            if (k < r->len && (r->data[k] == '"' || (r->quote2 && r->data[k] == r->quote2))) {
                r->pos = k;
                continue;
            }
        }
        at_field_start = false;
        if (!rec_push_char(rec, c)) goto nomem;
        r->pos++;
    }
    if (!rec_end_field(rec)) goto nomem;
    return 1;
nomem:
    PERR(err, PARLEY_E_NOMEM, r->file, r->line, 0, NULL, "out of memory");
    return -1;
}

bool csv_comment(csv_reader *r, const char **text, size_t *len, int *line)
{
    if (r->pos >= r->len || r->data[r->pos] != '#') return false;
    size_t end = r->pos;
    while (end < r->len && r->data[end] != '\n' && r->data[end] != '\r') end++;
    *text = r->data + r->pos;
    *len = end - r->pos;
    *line = r->line;
    if (end < r->len && r->data[end] == '\r') end++;
    if (end < r->len && r->data[end] == '\n') end++;
    r->pos = end;
    r->line++;
    return true;
}

void csv_record_free(csv_record *rec)
{
    free(rec->text);
    free(rec->f);
    memset(rec, 0, sizeof *rec);
}

const char *csv_str(const csv_record *rec, size_t i)
{
    return i < rec->n ? rec->text + rec->f[i].off : "";
}

bool csv_blank(const csv_record *rec)
{
    for (size_t i = 0; i < rec->n; i++)
        if (!pu_is_blank(rec->text + rec->f[i].off, rec->f[i].len)) return false;
    return true;
}

const char *csv_trim(csv_record *rec, size_t i)
{
    if (i >= rec->n) return "";
    csv_field *f = &rec->f[i];
    char *p = rec->text + f->off;
    size_t n = f->len, keep = f->quoted ? f->qlen : 0; /* a quoted field's text starts at its quote */
    while (n > keep && isspace((unsigned char)p[n - 1])) p[--n] = '\0';
    size_t k = 0;
    while (!f->quoted && k < n && isspace((unsigned char)p[k])) k++;
    f->off += k;
    f->len = n - k;
    f->column += (int)k;
    return rec->text + f->off;
}
