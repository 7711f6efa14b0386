/* read.c - loading a file, sniffing its format, running its reader and the shared reading rules. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/sha256.h"
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

/* Copies the first line (at most cap-1 bytes), lowercased, into buf. */
static void first_line(const char *data, size_t len, size_t skip_lines, char *buf, size_t cap)
{
    size_t i = 0;
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB) i = 3;
    for (; skip_lines && i < len; i++)
        if (data[i] == '\n') skip_lines--;
    size_t n = 0;
    for (; i < len && data[i] != '\n' && data[i] != '\r' && n + 1 < cap; i++)
        buf[n++] = (char)((data[i] >= 'A' && data[i] <= 'Z') ? data[i] + 32 : data[i]);
    buf[n] = '\0';
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
    char l1[4096], l2[4096];
    first_line(data, len, 0, l1, sizeof l1);
    first_line(data, len, 1, l2, sizeof l2);
    if (has_cell(l1, "prnrnmc") || (has_cell(l1, "pcom") && has_cell(l1, "out"))) return "deu";
    if (has_cell(l1, "actor") && has_cell(l1, "issue")) return "csv";
    if (has_cell(l1, "actor") && has_cell(l1, "capability") && has_cell(l1, "position") && has_cell(l1, "salience"))
        return "bdm";
    if (strncmp(l2, "actor", 5) == 0 || strstr(l2, ",actor") || strstr(l2, "\"actor")) return "ktab";
    return NULL;
}

static void apply_rules(rd_ctx *c, const char *format, const parley_read_options *o)
{
    parley_scenario *s = c->s;
    const char *asked = o && o->salience_scale ? o->salience_scale : "auto";
    const char *scale = c->declared_salience_scale && strcmp(asked, "auto") == 0 ? c->declared_salience_scale : asked;
    const char *used = sc_apply_salience_scale(s, scale);
    if (strcmp(format, "json") != 0 || strcmp(used, "percent") == 0) {
        const char *why = strcmp(scale, "auto") != 0 ? (c->declared_salience_scale && scale == c->declared_salience_scale
                                                             ? "as the format declares"
                                                             : "as asked")
                          : strcmp(used, "percent") == 0 ? "because some exceed 1"
                                                         : "because none exceeds 1";
        PNOTE(c->err, c->file, 0, 0, "salience", "read saliences as %s %s%s", 
              strcmp(used, "percent") == 0 ? "percentages (0-100, divided by 100)" : "fractions (0-1)", why,
              "");
    }
    if (c->observed_scale) sc_observed_scales(s);
    sc_fold_capabilities(s);
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
    if (!name) name = "<input>";
    if (len > PARLEY_MAX_FILE_BYTES)
        return PERR(err, PARLEY_E_LIMIT, name, 0, 0, NULL, "the file is %zu bytes; the limit is %u bytes", len,
                    PARLEY_MAX_FILE_BYTES);
    if (pu_is_blank(data, len) || (len == 3 && (unsigned char)data[0] == 0xEF))
        return PERR(err, PARLEY_E_SYNTAX, name, 0, 0, NULL, "expected a scenario, found an empty file");
    if (memchr(data, '\0', len))
        return PERR(err, PARLEY_E_SYNTAX, name, 0, 0, NULL, "expected text, found a NUL byte (a binary file?)");
    size_t bad = pu_utf8_invalid(data, len);
    if (bad != SIZE_MAX) {
        int line = 1, col = 1;
        for (size_t i = 0; i < bad; i++) {
            if (data[i] == '\n') line++, col = 1;
            else col++;
        }
        return PERR(err, PARLEY_E_SYNTAX, name, line, col, NULL,
                    "expected UTF-8 text, found the byte 0x%02x (save the file as UTF-8)", (unsigned char)data[bad]);
    }
    const char *format = o && o->format && strcmp(o->format, "auto") != 0 ? o->format : parley_sniff(data, len);
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
    s->source = pu_strdup(name);
    s->format = pu_strdup(format);
    sha256_hex(data, len, s->sha256);
    rd_ctx c = {data, len, name, s, err, NULL, false};
    size_t before = parley_error_errors(err);
    parley_status st = fn(&c);
    if (st == PARLEY_OK && parley_error_errors(err) == before) {
        apply_rules(&c, format, o);
        st = parley_scenario_finalize(s, err);
    } else {
        if (st == PARLEY_OK) st = parley_error_status(err);
        /* Report the value faults too (off-scale positions, negative capabilities...), so that one run
         * shows every fault, unless the reader stopped for lack of memory or at a size limit. */
        if ((st == PARLEY_E_SYNTAX || st == PARLEY_E_INVALID) && !perr_full(err) && s->n_actors && s->n_issues) {
            apply_rules(&c, format, o);
            parley_scenario_finalize(s, err);
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
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) return PERR(err, PARLEY_E_IO, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (!pu_grow((void **)&buf, &cap, len + 65536, 1)) {
            if (f != stdin) fclose(f);
            free(buf);
            return PERR(err, PARLEY_E_NOMEM, path, 0, 0, NULL, "out of memory");
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (len > PARLEY_MAX_FILE_BYTES) break; /* reported by parley_read_buffer */
        if (n == 0) break;
    }
    bool failed = ferror(f);
    if (f != stdin) fclose(f);
    if (failed) {
        free(buf);
        return PERR(err, PARLEY_E_IO, path, 0, 0, NULL, "read error");
    }
    parley_status st = parley_read_buffer(buf, len, strcmp(path, "-") == 0 ? "<stdin>" : path, o, out, err);
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

static size_t rd_entity(rd_ctx *c, pu_map *ids, const char *id, int line, int column, bool actor)
{
    size_t idx;
    if (pu_map_get(ids, id, &idx)) return idx;
    parley_status st = PARLEY_OK;
    char *copy = pu_strdup(id);
    if (!copy) return SIZE_MAX;
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
    if (!pu_map_put(ids, copy, idx)) return SIZE_MAX;
    return idx;
fail:
    free(copy);
    PERR(c->err, st, c->file, line, column, actor ? "actor" : "issue",
         st == PARLEY_E_LIMIT ? "more than %u %s" : "out of memory",
         actor ? PARLEY_MAX_ACTORS : PARLEY_MAX_ISSUES, actor ? "actors" : "issues");
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
