/* read.c - loading a file, sniffing its format, running its reader and the shared reading rules. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "../core/sha256.h"
#include "parley/model.h"
#include "reader.h"

static const char *const formats[] = {"json", "csv", "bdm", "ktab", "decide", "deu", NULL};

const char *const *parley_formats(void)
{
    return formats;
}

static rd_fn reader_for(const char *format)
{
    static const rd_fn fns[] = {rd_json, rd_csv, rd_bdm, rd_ktab, rd_decide, rd_deu};
    for (size_t i = 0; formats[i]; i++)
        if (strcmp(formats[i], format) == 0) return fns[i];
    return NULL;
}

/* Returns line number skip_lines (0-based) of data, lowercased and malloc'd (NULL when out of memory),
 * not counting blank lines or the "#" comment lines a tidy CSV may start with. The whole line is kept,
 * however long: a header clipped to a fixed size could lose the column that tells the format. */
static char *first_line(const char *data, size_t len, size_t skip_lines)
{
    size_t i = 0;
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB) i = 3;
    for (;;) {
        while (i < len && (data[i] == '\n' || data[i] == '\r')) i++;
        if (i < len && data[i] == '#') {
            while (i < len && data[i] != '\n') i++;
            continue;
        }
        if (!skip_lines) break;
        while (i < len && data[i] != '\n') i++;
        skip_lines--;
    }
    size_t end = i;
    while (end < len && data[end] != '\n' && data[end] != '\r') end++;
    char *buf = pu_strndup(data + i, end - i);
    for (char *p = buf; p && *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p + 32);
    return buf;
}

static bool has_cell(const char *line, const char *name)
{
    /* True when name appears as a whole cell (bounded by start/end, delimiter, quote or blank). */
    size_t n = strlen(name);
    for (const char *p = strstr(line, name); p; p = strstr(p + 1, name)) {
        bool left = p == line || strchr(",;\t\" '", p[-1]);
        bool right = p[n] == '\0' || strchr(",;\t\" '", p[n]);
        if (left && right) return true;
    }
    return false;
}

const char *parley_sniff(const char *data, size_t len)
{
    size_t i = 0;
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB) i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) i++;
    if (i < len && data[i] == '{') return "json";
    /* Decide rows start with #A, #P, #M, #D, #O or #/, possibly quoted. */
    for (size_t k = i; k + 2 < len; k++) {
        if (k == i || data[k - 1] == '\n') {
            size_t p = k;
            if (data[p] == '\'' || data[p] == '"') p++;
            if (p + 1 < len && data[p] == '#' && strchr("APMDO/", data[p + 1])) return "decide";
            if (k - i > 4096) break;
        }
    }
    char *l1 = first_line(data, len, 0), *l2 = first_line(data, len, 1);
    const char *format = NULL;
    if (!l1 || !l2) format = NULL;
    else if (has_cell(l1, "prnrnmc") || (has_cell(l1, "pcom") && has_cell(l1, "out"))) format = "deu";
    else if (has_cell(l1, "actor") && has_cell(l1, "issue")) format = "csv";
    else if (has_cell(l1, "actor") && has_cell(l1, "capability") && has_cell(l1, "position") && has_cell(l1, "salience"))
        format = "bdm";
    else if (strncmp(l2, "actor", 5) == 0 || strstr(l2, ",actor") || strstr(l2, "\"actor")) format = "ktab";
    free(l1), free(l2);
    return format;
}

/* Applies the reading rules every format shares: the salience scale (with a note saying which was read),
 * observed scales, capabilities folded into actors. Returns false after reporting a fault (a salience
 * scale the rule cannot tell, or no memory). */
static bool apply_rules(rd_ctx *c, const char *format, const parley_read_options *o)
{
    parley_scenario *s = c->s;
    const char *asked = o && o->salience_scale ? o->salience_scale : "auto";
    const char *scale = c->declared_salience_scale && strcmp(asked, "auto") == 0 ? c->declared_salience_scale : asked;
    const char *used = sc_apply_salience_scale(s, scale, c->err, c->file);
    if (!used) return false;
    if (strcmp(format, "json") != 0 || strcmp(used, "percent") == 0) {
        const char *why = strcmp(scale, "auto") != 0 ? (c->declared_salience_scale && scale == c->declared_salience_scale
                                                             ? "as the format declares"
                                                             : "as asked")
                          : strcmp(used, "percent") == 0 ? "because some exceed 1 and none lies between 0 and 1"
                                                         : "because none exceeds 1";
        PNOTE(c->err, c->file, 0, 0, "salience", "read saliences as %s %s",
              strcmp(used, "percent") == 0 ? "percentages (0-100, divided by 100)" : "fractions (0-1)", why);
    }
    if (c->observed_scale && !sc_observed_scales(s)) {
        PERR(c->err, PARLEY_E_NOMEM, c->file, 0, 0, NULL, "out of memory");
        return false;
    }
    sc_fold_capabilities(s);
    return true;
}

/* Checks the scenario's own model SPEC (the "models" key, or a CSV "# models:" line) as the commands
 * would parse it, so that `validate` catches a misspelt model before a forecast does. Each fault of the
 * SPEC is reported at the key. Returns false after reporting. */
static bool check_models(rd_ctx *c)
{
    parley_scenario *s = c->s;
    if (!s->models) return true;
    parley_error *pe = parley_error_new();
    parley_plan *plan = NULL;
    if (!pe) {
        PERR(c->err, PARLEY_E_NOMEM, c->file, 0, 0, NULL, "out of memory");
        return false;
    }
    parley_status st = parley_plan_parse(&plan, s->models, pe);
    parley_plan_free(plan);
    for (size_t i = 0; st != PARLEY_OK && i < parley_error_count(pe); i++) {
        const parley_diag *d = parley_error_at(pe, i);
        if (d->severity == PARLEY_SEVERITY_ERROR)
            PERR(c->err, PARLEY_E_INVALID, c->file, s->models_loc.line, s->models_loc.column, "models", "%s",
                 d->message ? d->message : "bad model SPEC");
    }
    if (st != PARLEY_OK && parley_error_errors(pe) == 0)
        PERR(c->err, st == PARLEY_E_NOMEM ? PARLEY_E_NOMEM : PARLEY_E_INVALID, c->file, s->models_loc.line,
             s->models_loc.column, "models", "%s", parley_status_message(st));
    parley_error_free(pe);
    return st == PARLEY_OK;
}

/* Returns the line and column (1-based, counting bytes) of offset at in data. */
static void line_col(const char *data, size_t at, int *line, int *col)
{
    *line = 1, *col = 1;
    for (size_t i = 0; i < at; i++) {
        if (data[i] == '\n') ++*line, *col = 1;
        else ++*col;
    }
}

static parley_status read_buffer(const char *data, size_t len, const char *name, const parley_read_options *o,
                                 parley_scenario **out, parley_error *err);

parley_status parley_read_buffer(const char *data, size_t len, const char *name, const parley_read_options *o,
                                 parley_scenario **out, parley_error *err)
{
    /* Readers tell success by the errors they added: without a caller's list they still need one. */
    parley_error *own = err ? NULL : parley_error_new();
    if (!err && !own) {
        *out = NULL;
        return PARLEY_E_NOMEM;
    }
    parley_status st = read_buffer(data, len, name, o, out, err ? err : own);
    parley_error_free(own);
    return st;
}

static parley_status read_buffer(const char *data, size_t len, const char *name, const parley_read_options *o,
                                 parley_scenario **out, parley_error *err)
{
    *out = NULL;
    /* A scenario built in memory (no name) has no path: its provenance says null, its messages "<input>". */
    bool in_memory = !name;
    if (!name) name = "<input>";
    if (len > PARLEY_MAX_FILE_BYTES)
        return PERR(err, PARLEY_E_LIMIT, name, 0, 0, NULL, "the file is %zu bytes, over the limit of %u bytes (64 MiB)",
                    len, PARLEY_MAX_FILE_BYTES);
    /* A UTF-8 byte-order mark is no part of the text, in any format: it is skipped here, once, so that no
     * reader reports it as an invisible stray character and columns on line 1 count from the text. The
     * SHA-256 still covers the file as given. */
    size_t bom = len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
                         (unsigned char)data[2] == 0xBF
                     ? 3
                     : 0;
    const char *text = data + bom;
    size_t tlen = len - bom;
    if (pu_is_blank(text, tlen))
        return PERR(err, PARLEY_E_SYNTAX, name, 0, 0, NULL, "expected a scenario, found an empty file");
    const char *nul = memchr(text, '\0', tlen);
    if (nul) {
        int line, col;
        line_col(text, (size_t)(nul - text), &line, &col);
        return PERR(err, PARLEY_E_SYNTAX, name, line, col, NULL, "expected text, found a NUL byte (a binary file?)");
    }
    size_t bad = pu_utf8_invalid(text, tlen);
    if (bad != SIZE_MAX) {
        int line, col;
        line_col(text, bad, &line, &col);
        return PERR(err, PARLEY_E_SYNTAX, name, line, col, NULL,
                    "expected UTF-8 text, found the byte 0x%02x (save the file as UTF-8)", (unsigned char)text[bad]);
    }
    const char *format = o && o->format && strcmp(o->format, "auto") != 0 ? o->format : parley_sniff(text, tlen);
    if (!format && tlen && text[strspn(text, " \t\r\n")] == '<')
        return PERR(err, PARLEY_E_USAGE, name, 0, 0, NULL,
                    "an XML file: a GENIUS domain is read with its profiles, as DOMAIN.xml PROFILE.xml... or their folder");
    if (!format)
        return PERR(err, PARLEY_E_SYNTAX, name, 1, 1, NULL,
                    "cannot tell the format; expected JSON, a CSV with an actor and an issue column, a BDM table, "
                    "KTAB, Decide or DEU data (use --from to say which)");
    rd_fn fn = reader_for(format);
    if (!fn) {
        const char *hint = pu_did_you_mean(format, formats, sizeof formats / sizeof *formats - 1);
        return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--from", "unknown format \"%s\"%s%s%s", format,
                    hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
    }
    if (o && o->salience_scale && strcmp(o->salience_scale, "auto") && strcmp(o->salience_scale, "fraction") &&
        strcmp(o->salience_scale, "percent"))
        return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--salience-scale",
                    "expected auto, fraction or percent, found \"%s\"", o->salience_scale);
    parley_scenario *s = parley_scenario_new();
    if (!s) return PARLEY_E_NOMEM;
    s->source = in_memory ? NULL : pu_strdup(name);
    s->format = pu_strdup(format);
    sha256_hex(data, len, s->sha256);
    rd_ctx c = {text, tlen, name, s, err, NULL, false};
    size_t before = parley_error_errors(err);
    parley_status st = fn(&c);
    if (st == PARLEY_OK && parley_error_errors(err) == before) {
        bool models_ok = check_models(&c);
        if (apply_rules(&c, format, o)) {
            st = parley_scenario_finalize(s, err);
            if (st == PARLEY_OK && !models_ok) st = parley_error_status(err);
        } else {
            st = parley_error_status(err);
        }
    } else {
        if (st == PARLEY_OK) st = parley_error_status(err);
        /* Report the value faults too (off-scale positions, negative capabilities...), so that one run
         * shows every fault, unless the reader stopped for lack of memory or at a size limit, or read no
         * stance (then there are none to check, and "nobody takes part" would only be noise). */
        if ((st == PARLEY_E_SYNTAX || st == PARLEY_E_INVALID) && !perr_full(err) && s->n_actors && s->n_issues &&
            s->n_stances) {
            check_models(&c);
            if (apply_rules(&c, format, o)) parley_scenario_finalize(s, err);
        }
    }
    if (st != PARLEY_OK) {
        parley_scenario_free(s);
        return st;
    }
    *out = s;
    return PARLEY_OK;
}

parley_status parley_read_file(const char *path, const parley_read_options *o, parley_scenario **out,
                               parley_error *err)
{
    *out = NULL;
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        int e = errno;
        return PERR(err, pu_errno_is_callers(e) ? PARLEY_E_USAGE : PARLEY_E_IO, path, 0, 0, NULL, "cannot open: %s", strerror(e));
    }
    struct stat sb;
    if (!is_stdin && fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fclose(f); /* fopen opens a folder for reading; only the first read fails */
        return PERR(err, PARLEY_E_USAGE, path, 0, 0, NULL, "cannot open: expected a file, found a folder");
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (!pu_grow((void **)&buf, &cap, len + 65536, 1)) {
            if (!is_stdin) fclose(f);
            free(buf);
            return PERR(err, PARLEY_E_NOMEM, path, 0, 0, NULL, "out of memory");
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (len > PARLEY_MAX_FILE_BYTES) break; /* no need to read the rest to know it is too large */
        if (n == 0) break;
    }
    bool failed = ferror(f);
    int e = errno;
    if (!is_stdin) fclose(f);
    if (failed) {
        free(buf);
        return PERR(err, pu_errno_is_callers(e) ? PARLEY_E_USAGE : PARLEY_E_IO, path, 0, 0, NULL, "read error: %s",
                    strerror(e));
    }
    if (len > PARLEY_MAX_FILE_BYTES) {
        free(buf);
        return PERR(err, PARLEY_E_LIMIT, is_stdin ? "<stdin>" : path, 0, 0, NULL,
                    "the file is larger than the limit of %u bytes (64 MiB)", PARLEY_MAX_FILE_BYTES);
    }
    parley_status st = parley_read_buffer(buf, len, is_stdin ? "<stdin>" : path, o, out, err);
    free(buf);
    return st;
}

char *parley_scenario_serialize(const parley_scenario *s, const char *format, parley_error *err)
{
    if (!s->finalized) {
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, NULL, "the scenario is not finalized");
        return NULL;
    }
    if (strcmp(format, "json") == 0) return serialize_json(s, err);
    if (strcmp(format, "csv") == 0) return serialize_csv(s, err);
    PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--to", "expected json or csv, found \"%s\"", format);
    return NULL;
}

/* ---- helpers shared by the readers ---- */

bool rd_number(rd_ctx *c, csv_record *rec, size_t i, const char *field, bool optional, double *out)
{
    const char *txt = csv_trim(rec, i);
    int line = i < rec->n ? rec->f[i].line : rec->line;
    int col = i < rec->n ? rec->f[i].column : 0;
    if (!*txt && optional) {
        *out = NAN;
        return true;
    }
    bool comma = false;
    for (const char *p = txt; *p; p++) comma |= *p == ',';
    if (pu_parse_double(txt, strlen(txt), comma, out)) return true;
    if (i >= rec->n)
        PERR(c->err, PARLEY_E_SYNTAX, c->file, line, col, field, "expected a number, found a missing cell");
    else
        PERR(c->err, PARLEY_E_SYNTAX, c->file, line, col, field, "expected a number, found \"%.40s\"", txt);
    return false;
}

size_t rd_width(const csv_record *rec)
{
    size_t n = rec->n;
    while (n && pu_is_blank(rec->text + rec->f[n - 1].off, rec->f[n - 1].len)) n--;
    return n;
}

bool rd_cells(rd_ctx *c, const csv_record *rec, size_t want, char delim, const char *why)
{
    size_t n = rd_width(rec);
    if (n == want || (n < want && rec->n >= want)) return true;
    if (n > want) {
        /* The classic cause: "0,5" in a comma-separated file is two cells, and every cell after it moves. */
        PERR(c->err, PARLEY_E_SYNTAX, c->file, rec->line, rec->f[want].column, "row",
             "expected %zu cells %s, found %zu on this row%s", want, why, n,
             delim == ',' ? " (a decimal comma in a comma-separated file? quote such numbers, or use ';' between cells)"
                          : "");
    } else {
        PERR(c->err, PARLEY_E_SYNTAX, c->file, rec->line, rec->n ? rec->f[rec->n - 1].column : 1, "row",
             "expected %zu cells %s, found %zu on this row", want, why, rec->n);
    }
    return false;
}

pstance *rd_stance(rd_ctx *c, int line, int column)
{
    parley_status st = PARLEY_OK;
    pstance *s = sc_new_stance(c->s, &st);
    if (!s && st == PARLEY_E_LIMIT)
        PERR(c->err, st, c->file, line, column, "stance", "more stances than the limit of %u", PARLEY_MAX_STANCES);
    else if (!s)
        PERR(c->err, PARLEY_E_NOMEM, c->file, line, column, NULL, "out of memory");
    return s;
}

static size_t rd_entity(rd_ctx *c, pu_map *ids, const char *id, int line, int column, bool actor)
{
    size_t idx;
    if (pu_map_get(ids, id, &idx)) return idx;
    parley_status st = PARLEY_OK;
    char *copy = pu_strdup(id);
    if (!copy) {
        PERR(c->err, PARLEY_E_NOMEM, c->file, line, column, NULL, "out of memory");
        return SIZE_MAX;
    }
    if (actor) {
        pactor *a = sc_new_actor(c->s, &st);
        if (!a) goto fail;
        a->id = copy;
        a->loc = (ploc){line, column};
        idx = c->s->n_actors - 1;
    } else {
        pissue *is = sc_new_issue(c->s, &st);
        if (!is) goto fail;
        is->id = copy;
        is->loc = (ploc){line, column};
        idx = c->s->n_issues - 1;
    }
    if (!pu_map_put(ids, copy, idx)) {
        PERR(c->err, PARLEY_E_NOMEM, c->file, line, column, NULL, "out of memory");
        return SIZE_MAX;
    }
    return idx;
fail:
    free(copy);
    if (st == PARLEY_E_LIMIT)
        PERR(c->err, st, c->file, line, column, actor ? "actor" : "issue", "more %s than the limit of %u",
             actor ? "actors" : "issues", actor ? PARLEY_MAX_ACTORS : PARLEY_MAX_ISSUES);
    else
        PERR(c->err, st, c->file, line, column, actor ? "actor" : "issue", "out of memory");
    return SIZE_MAX;
}

size_t rd_actor(rd_ctx *c, pu_map *ids, const char *id, int line, int column)
{
    return rd_entity(c, ids, id, line, column, true);
}

size_t rd_issue(rd_ctx *c, pu_map *ids, const char *id, int line, int column)
{
    return rd_entity(c, ids, id, line, column, false);
}
