/* read_json.c - parley's native JSON scenario format, parsed by jansson; errors carry line and column. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

/* ---- locating a value by its path, for messages (jansson keeps no positions) ---- */

typedef struct jpath {
    const char *key; /* object member, or NULL for an array index */
    size_t index;
} jpath;

typedef struct jscan {
    const char *p, *end;
} jscan;

static void js_ws(jscan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r')) s->p++;
}

/* Skips a string starting at s->p (a '"'). */
static void js_string(jscan *s)
{
    s->p++;
    while (s->p < s->end && *s->p != '"') {
        if (*s->p == '\\') s->p++;
        s->p++;
    }
    s->p++;
}

/* Returns the value of the four hex digits at p, or -1. */
static int hex4(const char *p, const char *end)
{
    if (end - p < 4) return -1;
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Skips the string at s->p (a '"') and returns true when, decoded, it equals key: escapes (a backslash
 * with n, a quote, or u and four hex digits, surrogate pairs too) are decoded as jansson decodes them, and the key is compared whole, however long
 * (jansson, which found the fault, knows the key only decoded). */
static bool js_string_is(jscan *s, const char *key)
{
    const char *k = key;
    bool same = true;
    s->p++;
    while (s->p < s->end && *s->p != '"') {
        unsigned char out[4];
        size_t n = 1;
        if (*s->p != '\\') {
            out[0] = (unsigned char)*s->p++;
        } else {
            s->p++;
            if (s->p >= s->end) break;
            char e = *s->p++;
            static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
            const char *at = strchr(from, e);
            if (e != 'u') {
                out[0] = (unsigned char)(at && e ? to[at - from] : e);
            } else {
                long cp = hex4(s->p, s->end);
                if (cp >= 0) s->p += 4;
                if (cp >= 0xD800 && cp < 0xDC00 && s->end - s->p >= 6 && s->p[0] == '\\' && s->p[1] == 'u') {
                    int lo = hex4(s->p + 2, s->end);
                    if (lo >= 0xDC00 && lo < 0xE000) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        s->p += 6;
                    }
                }
                if (cp < 0) cp = 0xFFFD;
                if (cp < 0x80) out[0] = (unsigned char)cp;
                else if (cp < 0x800) out[0] = (unsigned char)(0xC0 | cp >> 6), out[1] = (unsigned char)(0x80 | (cp & 0x3F)), n = 2;
                else if (cp < 0x10000)
                    out[0] = (unsigned char)(0xE0 | cp >> 12), out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F)),
                    out[2] = (unsigned char)(0x80 | (cp & 0x3F)), n = 3;
                else
                    out[0] = (unsigned char)(0xF0 | cp >> 18), out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F)),
                    out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F)), out[3] = (unsigned char)(0x80 | (cp & 0x3F)), n = 4;
            }
        }
        for (size_t i = 0; i < n && same; i++) {
            if (!*k || (unsigned char)*k != out[i]) same = false;
            else k++;
        }
    }
    s->p++;
    return same && !*k;
}

static void js_value(jscan *s);

static void js_container(jscan *s, char close)
{
    s->p++;
    for (;;) {
        js_ws(s);
        if (s->p >= s->end || *s->p == close) {
            s->p++;
            return;
        }
        if (close == '}') {
            js_string(s);
            js_ws(s);
            s->p++; /* ':' */
        }
        js_value(s);
        js_ws(s);
        if (s->p < s->end && *s->p == ',') s->p++;
    }
}

static void js_value(jscan *s)
{
    js_ws(s);
    if (s->p >= s->end) return;
    if (*s->p == '"') js_string(s);
    else if (*s->p == '{') js_container(s, '}');
    else if (*s->p == '[') js_container(s, ']');
    else
        while (s->p < s->end && !strchr(",]} \t\r\n", *s->p)) s->p++;
}

/* Returns the offset of the value at path, or of its deepest existing ancestor. */
static size_t js_locate(const char *data, size_t len, const jpath *path, size_t depth)
{
    jscan s = {data, data + len};
    js_ws(&s);
    const char *best = s.p;
    for (size_t d = 0; d < depth; d++) {
        js_ws(&s);
        if (s.p >= s.end) break;
        bool found = false;
        if (path[d].key && *s.p == '{') {
            s.p++;
            for (;;) {
                js_ws(&s);
                if (s.p >= s.end || *s.p != '"') break;
                const char *kstart = s.p;
                bool match = js_string_is(&s, path[d].key);
                js_ws(&s);
                s.p++;
                js_ws(&s);
                if (match) {
                    /* A missing value is reported at its key; a present one at the value. */
                    best = d + 1 == depth ? kstart : s.p;
                    found = true;
                    break;
                }
                js_value(&s);
                js_ws(&s);
                if (s.p < s.end && *s.p == ',') s.p++;
            }
        } else if (!path[d].key && *s.p == '[') {
            s.p++;
            for (size_t i = 0;; i++) {
                js_ws(&s);
                if (s.p >= s.end || *s.p == ']') break;
                if (i == path[d].index) {
                    best = s.p;
                    found = true;
                    break;
                }
                js_value(&s);
                js_ws(&s);
                if (s.p < s.end && *s.p == ',') s.p++;
            }
        }
        if (!found) break;
    }
    return (size_t)(best - data);
}

/* Returns where member key of the object starting at p begins (its opening quote), or NULL. */
static const char *js_member(const char *p, const char *end, const char *key)
{
    jscan s = {p, end};
    js_ws(&s);
    if (s.p >= s.end || *s.p != '{') return NULL;
    s.p++;
    for (;;) {
        js_ws(&s);
        if (s.p >= s.end || *s.p != '"') return NULL;
        const char *k = s.p;
        if (js_string_is(&s, key)) return k;
        js_ws(&s);
        if (s.p < s.end && *s.p == ':') s.p++;
        js_value(&s);
        js_ws(&s);
        if (s.p < s.end && *s.p == ',') s.p++;
    }
}

/* Returns the start of each element of the array that is the value of the member whose key starts at k
 * (malloc'd, *n of them; NULL when there is none or out of memory). */
static const char **js_elements(const char *k, const char *end, size_t *n)
{
    *n = 0;
    if (!k) return NULL;
    jscan s = {k, end};
    js_ws(&s);
    if (s.p < s.end && *s.p == '"') { /* js_locate points at the key of the last step: skip to its value */
        js_string(&s);
        js_ws(&s);
        if (s.p < s.end && *s.p == ':') s.p++;
        js_ws(&s);
    }
    if (s.p >= s.end || *s.p != '[') return NULL;
    const char **at = NULL;
    size_t cap = 0;
    s.p++;
    for (;;) {
        js_ws(&s);
        if (s.p >= s.end || *s.p == ']') break;
        if (!pu_grow((void **)&at, &cap, *n + 1, sizeof *at)) break;
        at[(*n)++] = s.p;
        js_value(&s);
        js_ws(&s);
        if (s.p < s.end && *s.p == ',') s.p++;
    }
    return at;
}

/* Counts lines and columns up to a position, going on from the last one asked (positions asked in the
 * order of the file cost one pass in all; one before the last starts again from the top). */
typedef struct jlines {
    const char *data, *at;
    ploc loc;
} jlines;

static ploc jlines_at(jlines *l, const char *p)
{
    if (!l->at || p < l->at) l->at = l->data, l->loc = (ploc){1, 1};
    for (; l->at < p; l->at++) {
        if (*l->at == '\n') l->loc.line++, l->loc.column = 1;
        else l->loc.column++;
    }
    return l->loc;
}

/* Returns the line and column of each of the n places at (in the order of the file), counted in one pass
 * (malloc'd; NULL when out of memory). */
static ploc *js_locs(const char *data, const char *const *at, size_t n)
{
    ploc *locs = malloc((n ? n : 1) * sizeof *locs);
    jlines l = {data, NULL, {1, 1}};
    for (size_t i = 0; locs && i < n; i++) locs[i] = jlines_at(&l, at[i]);
    return locs;
}

/* Records the line and column of every element of the top-level list `key`, in one pass, so that a large
 * file costs no more than one extra scan. Returns a malloc'd array (NULL when absent or out of memory). */
static ploc *js_element_locs(const char *data, size_t len, const char *key, size_t *n)
{
    jpath p = {key, 0};
    const char **at = js_elements(data + js_locate(data, len, &p, 1), data + len, n);
    ploc *locs = at ? js_locs(data, at, *n) : NULL;
    if (!locs) *n = 0;
    free(at);
    return locs;
}

/* ---- the reader ---- */

typedef struct jctx {
    rd_ctx *c;
    ploc here; /* where the list element being read starts */
    const char *change_at; /* where the variant, then the change, being read starts in the text, or NULL */
    jlines lines;          /* for the changes' places, in one pass */
    jpath path[8];
    size_t depth;
} jctx;

static ploc jloc(jctx *j, const char *key)
{
    jpath p[9];
    memcpy(p, j->path, j->depth * sizeof *p);
    size_t d = j->depth;
    if (key) p[d++] = (jpath){key, 0};
    size_t off = js_locate(j->c->data, j->c->len, p, d);
    ploc loc = {1, 1};
    for (size_t i = 0; i < off && i < j->c->len; i++) {
        if (j->c->data[i] == '\n') loc.line++, loc.column = 1;
        else loc.column++;
    }
    return loc;
}

/* Returns the path, e.g. "stances[3].salience", malloc'd and whole however long its keys (NULL when out of
 * memory). */
static char *jfield(jctx *j, const char *key)
{
    pu_buf b = {0};
    for (size_t d = 0; d < j->depth; d++) {
        if (j->path[d].key) pu_buf_printf(&b, "%s%s", b.len ? "." : "", j->path[d].key);
        else pu_buf_printf(&b, "[%zu]", j->path[d].index);
    }
    if (key) pu_buf_printf(&b, "%s%s", b.len ? "." : "", key);
    return pu_buf_take(&b);
}

#define JERR(j, key, status, ...)                                                          \
    do {                                                                                   \
        char *f_ = jfield((j), (key));                                                     \
        ploc l_ = jloc((j), (key));                                                        \
        PERR((j)->c->err, (status), (j)->c->file, l_.line, l_.column, f_ ? f_ : "", __VA_ARGS__); \
        free(f_);                                                                          \
    } while (0)

static const char *jtype(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* Checks that obj has only the allowed keys; reports each unknown one with a did-you-mean hint. */
static void check_keys(jctx *j, json_t *obj, const char *const *allowed, size_t n)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        bool ok = false;
        for (size_t i = 0; i < n && !ok; i++) ok = strcmp(key, allowed[i]) == 0;
        if (ok) continue;
        const char *hint = pu_did_you_mean(key, allowed, n);
        char *f = jfield(j, NULL);
        ploc l = jloc(j, key);
        PERR(j->c->err, PARLEY_E_SYNTAX, j->c->file, l.line, l.column, f && *f ? f : "scenario",
             "unknown key \"%s\"%s%s%s", key, hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
        free(f);
    }
}

static bool get_str(jctx *j, json_t *obj, const char *key, char **out, bool required)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required) JERR(j, NULL, PARLEY_E_SYNTAX, "expected a key \"%s\", found none", key);
        return !required;
    }
    if (!json_is_string(v)) {
        JERR(j, key, PARLEY_E_SYNTAX, "expected a string, found %s", jtype(v));
        return false;
    }
    if (json_string_length(v) > PARLEY_MAX_TEXT) {
        JERR(j, key, PARLEY_E_LIMIT, "a text of %zu bytes, over the limit of %u bytes", json_string_length(v), PARLEY_MAX_TEXT);
        return false;
    }
    if (!sc_set_str(out, json_string_value(v))) JERR(j, key, PARLEY_E_NOMEM, "out of memory");
    return true;
}

static bool get_dist(jctx *j, json_t *obj, pnum *out);

/* A number is written plainly or as {"value": n, "why": "reason"}, where the object may also say how
 * uncertain the number is (get_dist). */
static bool get_num(jctx *j, json_t *obj, const char *key, pnum *out, bool required)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required) JERR(j, NULL, PARLEY_E_SYNTAX, "expected a key \"%s\" with a number, found none", key);
        return !required;
    }
    if (json_is_object(v)) {
        j->path[j->depth++] = (jpath){key, 0};
        static const char *const nk[] = {"value", "why", "range", "dist", "low", "high", "sd"};
        check_keys(j, v, nk, 7);
        bool ok = get_num(j, v, "value", out, true);
        char *why = NULL;
        ok &= get_str(j, v, "why", &why, false);
        free(out->why);
        out->why = why;
        ok &= get_dist(j, v, out);
        j->depth--;
        return ok;
    }
    if (!json_is_number(v)) {
        JERR(j, key, PARLEY_E_SYNTAX, "expected a number (or {\"value\": n, \"why\": \"...\"}), found %s", jtype(v));
        return false;
    }
    out->v = json_number_value(v);
    return true;
}

/* The uncertainty of a number: "range": [low, high] (uniform), or "dist": "uniform" | "triangular" |
 * "normal" with "low", "high" and, for a normal, "sd". The checks against the field's range come with
 * validation. */
static bool get_dist(jctx *j, json_t *obj, pnum *out)
{
    json_t *range = json_object_get(obj, "range"), *dist = json_object_get(obj, "dist");
    bool bounds = json_object_get(obj, "low") || json_object_get(obj, "high") || json_object_get(obj, "sd");
    if (!range && !dist) {
        if (bounds) JERR(j, "dist", PARLEY_E_SYNTAX, "expected \"dist\" (uniform, triangular or normal) with low, high or sd");
        return !bounds;
    }
    if (range && (dist || bounds)) {
        JERR(j, "range", PARLEY_E_SYNTAX, "expected either \"range\" or \"dist\" with its bounds, not both");
        return false;
    }
    if (range) {
        if (!json_is_array(range) || json_array_size(range) != 2 || !json_is_number(json_array_get(range, 0)) ||
            !json_is_number(json_array_get(range, 1))) {
            JERR(j, "range", PARLEY_E_SYNTAX, "expected [low, high], two numbers");
            return false;
        }
        out->u = (pdist){PARLEY_DIST_UNIFORM, json_number_value(json_array_get(range, 0)),
                         json_number_value(json_array_get(range, 1)), NAN};
        return true;
    }
    const char *name = json_is_string(dist) ? json_string_value(dist) : "";
    parley_dist kind = !strcmp(name, "uniform") ? PARLEY_DIST_UNIFORM : !strcmp(name, "triangular") ? PARLEY_DIST_TRIANGULAR
                       : !strcmp(name, "normal")  ? PARLEY_DIST_NORMAL
                                                  : PARLEY_DIST_NONE;
    if (kind == PARLEY_DIST_NONE) {
        JERR(j, "dist", PARLEY_E_SYNTAX, "expected \"uniform\", \"triangular\" or \"normal\", found %s",
             json_is_string(dist) ? name : jtype(dist));
        return false;
    }
    pnum lo = pnum_none(), hi = pnum_none(), sd = pnum_none();
    bool ok = get_num(j, obj, "low", &lo, kind != PARLEY_DIST_NORMAL);
    ok &= get_num(j, obj, "high", &hi, kind != PARLEY_DIST_NORMAL);
    ok &= get_num(j, obj, "sd", &sd, kind == PARLEY_DIST_NORMAL);
    free(lo.why), free(hi.why), free(sd.why);
    out->u = (pdist){kind, lo.v, hi.v, sd.v};
    return ok;
}

static void read_actor(jctx *j, json_t *a, pu_map *ids)
{
    static const char *const keys[] = {"id", "name", "description", "capability", "reservation", "discount",
                                       "strategy", "weights"};
    if (!json_is_object(a)) {
        JERR(j, NULL, PARLEY_E_SYNTAX, "expected an actor object, found %s", jtype(a));
        return;
    }
    check_keys(j, a, keys, sizeof keys / sizeof *keys);
    parley_status st = PARLEY_OK;
    pactor *act = sc_new_actor(j->c->s, &st);
    if (!act) {
        if (st == PARLEY_E_LIMIT) JERR(j, NULL, st, "more actors than the limit of %u", PARLEY_MAX_ACTORS);
        else JERR(j, NULL, st, "out of memory");
        return;
    }
    act->loc = j->here;
    get_str(j, a, "id", &act->id, true);
    get_str(j, a, "name", &act->name, false);
    get_str(j, a, "description", &act->description, false);
    get_num(j, a, "capability", &act->capability, false);
    get_num(j, a, "reservation", &act->reservation, false);
    pnum d = pnum_none();
    if (get_num(j, a, "discount", &d, false)) act->discount = d.v;
    free(d.why);
    get_str(j, a, "strategy", &act->strategy, false);
    json_t *wt = json_object_get(a, "weights");
    if (wt) {
        const char *w = json_is_string(wt) ? json_string_value(wt) : "";
        if (!strcmp(w, "as written")) act->weights_as_written = true;
        else if (strcmp(w, "normalised"))
            JERR(j, "weights", PARLEY_E_SYNTAX, "expected \"normalised\" (the default) or \"as written\", found %s%s%s",
                 json_is_string(wt) ? "\"" : "", json_is_string(wt) ? w : jtype(wt), json_is_string(wt) ? "\"" : "");
    }
    if (act->id) pu_map_put(ids, act->id, j->c->s->n_actors - 1);
}

/* Reads an option issue's list of options: texts, at most PARLEY_MAX_OPTIONS (duplicates are reported by
 * validation). */
static void read_options(jctx *j, json_t *opts, pissue *is)
{
    if (!json_is_array(opts) || json_array_size(opts) == 0) {
        JERR(j, "options", PARLEY_E_SYNTAX, "expected a non-empty list of option texts, found %s",
             json_is_array(opts) ? "an empty list" : jtype(opts));
        return;
    }
    if (json_array_size(opts) > PARLEY_MAX_OPTIONS) {
        JERR(j, "options", PARLEY_E_LIMIT, "%zu options, over the limit of %u", json_array_size(opts), PARLEY_MAX_OPTIONS);
        return;
    }
    size_t i;
    json_t *v;
    j->path[j->depth++] = (jpath){"options", 0};
    json_array_foreach(opts, i, v) {
        j->path[j->depth++] = (jpath){NULL, i};
        if (!json_is_string(v)) JERR(j, NULL, PARLEY_E_SYNTAX, "expected an option text (a string), found %s", jtype(v));
        else if (json_string_length(v) > PARLEY_MAX_TEXT) JERR(j, NULL, PARLEY_E_LIMIT, "an option text over the limit of %u bytes", PARLEY_MAX_TEXT);
        else if (!sc_issue_add_option(is, json_string_value(v))) JERR(j, NULL, PARLEY_E_NOMEM, "out of memory");
        j->depth--;
    }
    j->depth--;
}

/* Reads an option issue's reference or outcome: an option's text, plainly or as {"value": "a", "why":
 * "reason"}, into out as the option's index. */
static void get_option(jctx *j, json_t *o, const char *key, const pissue *is, pnum *out)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) return;
    json_t *text = v;
    if (json_is_object(v)) {
        j->path[j->depth++] = (jpath){key, 0};
        static const char *const nk[] = {"value", "why"};
        check_keys(j, v, nk, 2);
        get_str(j, v, "why", &out->why, false);
        j->depth--;
        text = json_object_get(v, "value");
    }
    if (!text || !json_is_string(text)) {
        JERR(j, key, PARLEY_E_SYNTAX, "expected one of the issue's options (a string), found %s", text ? jtype(text) : "none");
        return;
    }
    size_t at = sc_option_index(is, json_string_value(text));
    if (at == SIZE_MAX) {
        JERR(j, key, PARLEY_E_INVALID, "expected one of the issue's options, found \"%s\"", json_string_value(text));
        return;
    }
    out->v = (double)at;
}

static void read_issue(jctx *j, json_t *o, pu_map *ids)
{
    static const char *const keys[] = {"id", "label", "description", "date", "low", "high", "low_label",
                                       "high_label", "reference", "outcome", "attributes", "options", "type", "grid"};
    if (!json_is_object(o)) {
        JERR(j, NULL, PARLEY_E_SYNTAX, "expected an issue object, found %s", jtype(o));
        return;
    }
    check_keys(j, o, keys, sizeof keys / sizeof *keys);
    parley_status st = PARLEY_OK;
    pissue *is = sc_new_issue(j->c->s, &st);
    if (!is) {
        if (st == PARLEY_E_LIMIT) JERR(j, NULL, st, "more issues than the limit of %u", PARLEY_MAX_ISSUES);
        else JERR(j, NULL, st, "out of memory");
        return;
    }
    is->loc = j->here;
    get_str(j, o, "id", &is->id, true);
    get_str(j, o, "label", &is->label, false);
    get_str(j, o, "description", &is->description, false);
    get_str(j, o, "date", &is->date, false);
    get_str(j, o, "low_label", &is->low_label, false);
    get_str(j, o, "high_label", &is->high_label, false);
    json_t *opts = json_object_get(o, "options"), *type = json_object_get(o, "type");
    if (opts) {
        read_options(j, opts, is);
        if (json_object_get(o, "low") || json_object_get(o, "high"))
            JERR(j, json_object_get(o, "low") ? "low" : "high", PARLEY_E_SYNTAX,
                 "an option issue has no scale: expected \"options\" or \"low\" and \"high\", not both");
        if (type) JERR(j, "type", PARLEY_E_SYNTAX, "an option issue has no \"type\": its values are its options");
        get_option(j, o, "reference", is, &is->reference);
        get_option(j, o, "outcome", is, &is->outcome);
    } else {
        get_num(j, o, "low", &is->low, true);
        get_num(j, o, "high", &is->high, true);
        get_num(j, o, "reference", &is->reference, false);
        get_num(j, o, "outcome", &is->outcome, false);
        if (type) {
            const char *tn = json_is_string(type) ? json_string_value(type) : "";
            if (!strcmp(tn, "integer")) is->integer = true;
            else if (strcmp(tn, "scale"))
                JERR(j, "type", PARLEY_E_SYNTAX, "expected \"scale\" (the default) or \"integer\", found %s%s%s",
                     json_is_string(type) ? "\"" : "", json_is_string(type) ? tn : jtype(type), json_is_string(type) ? "\"" : "");
        }
        json_t *grid = json_object_get(o, "grid");
        if (grid && !(json_is_integer(grid) && json_integer_value(grid) >= 2 && json_integer_value(grid) <= 1000000))
            JERR(j, "grid", PARLEY_E_SYNTAX, "expected a whole number of points from 2 to 1000000, found %s",
                 json_is_integer(grid) ? "one out of that range" : jtype(grid));
        else if (grid) is->grid = (size_t)json_integer_value(grid);
    }
    if (!opts && json_object_get(o, "grid") && is->integer)
        JERR(j, "grid", PARLEY_E_SYNTAX, "an integer issue is enumerated at its whole numbers: expected no \"grid\"");
    json_t *attrs = json_object_get(o, "attributes");
    if (attrs && !json_is_object(attrs)) {
        JERR(j, "attributes", PARLEY_E_SYNTAX, "expected an object of texts, found %s", jtype(attrs));
    } else if (attrs) {
        const char *k;
        json_t *v;
        json_object_foreach(attrs, k, v) {
            if (!json_is_string(v)) {
                j->path[j->depth++] = (jpath){"attributes", 0};
                JERR(j, k, PARLEY_E_SYNTAX, "expected a string, found %s", jtype(v));
                j->depth--;
                continue;
            }
            sc_issue_add_attr(is, k, json_string_value(v));
        }
    }
    if (is->id) pu_map_put(ids, is->id, j->c->s->n_issues - 1);
}

static const char **id_list(const parley_scenario *s, bool actors, size_t *n)
{
    *n = actors ? s->n_actors : s->n_issues;
    const char **l = malloc((*n ? *n : 1) * sizeof *l);
    if (!l) return NULL;
    for (size_t i = 0; i < *n; i++) l[i] = actors ? s->actors[i].id : s->issues[i].id;
    return l;
}

static bool lookup(jctx *j, json_t *o, const char *key, const pu_map *ids, bool actors, size_t *out)
{
    json_t *v = json_object_get(o, key);
    if (!v) {
        JERR(j, NULL, PARLEY_E_SYNTAX, "expected a key \"%s\", found none", key);
        return false;
    }
    if (!json_is_string(v)) {
        JERR(j, key, PARLEY_E_SYNTAX, "expected an %s id (a string), found %s", key, jtype(v));
        return false;
    }
    const char *id = json_string_value(v);
    if (pu_map_get(ids, id, out)) return true;
    size_t n;
    const char **l = id_list(j->c->s, actors, &n);
    const char *hint = l ? pu_did_you_mean(id, l, n) : NULL;
    JERR(j, key, PARLEY_E_INVALID, "unknown %s \"%s\"%s%s%s", key, id, hint ? " (did you mean \"" : "",
         hint ? hint : "", hint ? "\"?)" : "");
    free(l);
    return false;
}

/* Reads a stance's "evaluations": {"option": value, ...} into st's table (options left out count 0). */
static void read_evaluations(jctx *j, json_t *evals, const pissue *is, pstance *st)
{
    if (!json_is_object(evals)) {
        JERR(j, "evaluations", PARLEY_E_SYNTAX, "expected an object {\"option\": value, ...}, found %s", jtype(evals));
        return;
    }
    if (!sc_stance_evals(st, is->n_options)) {
        JERR(j, "evaluations", PARLEY_E_NOMEM, "out of memory");
        return;
    }
    const char *key;
    json_t *v;
    j->path[j->depth++] = (jpath){"evaluations", 0};
    json_object_foreach(evals, key, v) {
        size_t at = sc_option_index(is, key);
        if (at == SIZE_MAX) {
            const char *hint = pu_did_you_mean(key, (const char *const *)is->options, is->n_options);
            JERR(j, key, PARLEY_E_INVALID, "unknown option \"%s\" of issue \"%s\"%s%s%s", key, is->id,
                 hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
        } else if (!json_is_number(v)) {
            JERR(j, key, PARLEY_E_SYNTAX, "expected a number in [0, 1], found %s", jtype(v));
        } else {
            st->evals[at] = json_number_value(v);
        }
    }
    j->depth--;
}

/* Reads a scale stance's "evaluator": {"slope": s, "offset": o, "origin": z}, the value
 * clamp(s (x - z) + o, 0, 1) (GENIUS's linear evaluators; origin defaults to 0). */
static void read_evaluator(jctx *j, json_t *ev, pstance *st)
{
    if (!json_is_object(ev)) {
        JERR(j, "evaluator", PARLEY_E_SYNTAX, "expected an object {\"slope\", \"offset\", \"origin\"}, found %s", jtype(ev));
        return;
    }
    j->path[j->depth++] = (jpath){"evaluator", 0};
    static const char *const ek[] = {"slope", "offset", "origin"};
    check_keys(j, ev, ek, 3);
    pnum sl = pnum_none(), of = pnum_none(), orig = pnum_none();
    bool ok = get_num(j, ev, "slope", &sl, true);
    ok &= get_num(j, ev, "offset", &of, true);
    ok &= get_num(j, ev, "origin", &orig, false);
    free(sl.why), free(of.why), free(orig.why);
    j->depth--;
    if (!ok) return;
    st->linear = true;
    st->slope = sl.v, st->offset = of.v, st->origin = pnum_has(orig) ? orig.v : 0;
}

static void read_stance(jctx *j, json_t *o, const pu_map *actors, const pu_map *issues)
{
    static const char *const keys[] = {"actor", "issue", "position", "salience", "capability", "evaluations",
                                       "evaluator"};
    if (!json_is_object(o)) {
        JERR(j, NULL, PARLEY_E_SYNTAX, "expected a stance object, found %s", jtype(o));
        return;
    }
    check_keys(j, o, keys, sizeof keys / sizeof *keys);
    size_t a = 0, k = 0;
    bool ok = lookup(j, o, "actor", actors, true, &a);
    bool known_issue = lookup(j, o, "issue", issues, false, &k);
    ok &= known_issue;
    const pissue *is = known_issue ? &j->c->s->issues[k] : NULL;
    json_t *evals = json_object_get(o, "evaluations"), *evaluator = json_object_get(o, "evaluator");
    bool options = is && is->n_options;
    if (options && json_object_get(o, "position")) {
        JERR(j, "position", PARLEY_E_SYNTAX, "issue \"%s\" is an option issue: expected \"evaluations\" of its options, not a position", is->id);
        ok = false;
    } else if (options && !evals) {
        JERR(j, NULL, PARLEY_E_SYNTAX, "issue \"%s\" is an option issue: expected a key \"evaluations\" ({\"option\": value, ...}), found none", is->id);
        ok = false;
    } else if (is && !options && evals) {
        JERR(j, "evaluations", PARLEY_E_SYNTAX, "issue \"%s\" is a scale: expected a position, not \"evaluations\" (which need \"options\" on the issue)", is->id);
        ok = false;
    }
    if (options && evaluator) {
        JERR(j, "evaluator", PARLEY_E_SYNTAX, "an evaluator is for a scale issue; issue \"%s\" has options", is->id);
        ok = false;
    }
    pnum pos = pnum_none(), sal = pnum_none(), cap = pnum_none();
    if (!options) ok &= get_num(j, o, "position", &pos, true);
    ok &= get_num(j, o, "salience", &sal, true);
    ok &= get_num(j, o, "capability", &cap, false);
    parley_status st = PARLEY_OK;
    pstance *s = ok ? sc_new_stance(j->c->s, &st) : NULL;
    if (!s) {
        if (ok && st == PARLEY_E_LIMIT) JERR(j, NULL, st, "more stances than the limit of %u", PARLEY_MAX_STANCES);
        else if (ok) JERR(j, NULL, st, "out of memory");
        free(pos.why), free(sal.why), free(cap.why);
        return;
    }
    s->actor = a;
    s->issue = k;
    s->position = pos;
    s->salience = sal;
    s->capability = cap;
    s->loc = j->here;
    if (options) read_evaluations(j, evals, is, s);
    if (evaluator) read_evaluator(j, evaluator, s);
}

static json_t *get_array(jctx *j, json_t *root, const char *key, bool required);

/* One change of a variant (see pchange); references are checked with the rest of the scenario. */
static void read_change(jctx *j, json_t *o, pvariant *pv)
{
    static const char *const keys[] = {"set", "shift", "scale", "remove", "add", "value", "by", "stances", "round"};
    if (!json_is_object(o)) {
        JERR(j, NULL, PARLEY_E_SYNTAX, "expected a change object, found %s", jtype(o));
        return;
    }
    check_keys(j, o, keys, sizeof keys / sizeof *keys);
    static const char *const ops[] = {"set", "shift", "scale", "remove", "add"};
    int op = -1, count = 0;
    for (int k = 0; k < 5; k++)
        if (json_object_get(o, ops[k])) op = k, count++;
    if (count != 1) {
        JERR(j, NULL, PARLEY_E_SYNTAX, "expected exactly one of \"set\", \"shift\", \"scale\", \"remove\" or \"add\", found %d", count);
        return;
    }
    if (!pu_grow((void **)&pv->changes, &pv->cap_changes, pv->n_changes + 1, sizeof *pv->changes)) {
        JERR(j, NULL, PARLEY_E_NOMEM, "out of memory");
        return;
    }
    pchange *ch = &pv->changes[pv->n_changes++];
    memset(ch, 0, sizeof *ch);
    ch->op = (pchange_op)op;
    ch->value = NAN;
    /* The change's place is its operation's key. Found from where the change starts (not by a scan from
     * the top of the file, which made a file of many changes cost changes x file size). */
    const char *k = j->change_at ? js_member(j->change_at, j->c->data + j->c->len, ops[op]) : NULL;
    ch->loc = k ? jlines_at(&j->lines, k) : jloc(j, ops[op]);
    if (op == PC_ADD) {
        json_t *a = json_object_get(o, "add");
        if (!json_is_object(a)) {
            JERR(j, "add", PARLEY_E_SYNTAX, "expected an actor object {\"id\", \"name\", \"capability\"}, found %s", jtype(a));
            return;
        }
        j->path[j->depth++] = (jpath){"add", 0};
        static const char *const akeys[] = {"id", "name", "capability"};
        check_keys(j, a, akeys, 3);
        get_str(j, a, "id", &ch->add_id, true);
        get_str(j, a, "name", &ch->add_name, false);
        pnum cap = pnum_none();
        get_num(j, a, "capability", &cap, true);
        free(cap.why);
        ch->add_capability = cap.v;
        j->depth--;
        json_t *st = get_array(j, o, "stances", false);
        size_t i;
        json_t *e;
        j->path[j->depth++] = (jpath){"stances", 0};
        json_array_foreach(st, i, e) {
            j->path[j->depth++] = (jpath){NULL, i};
            static const char *const skeys[] = {"issue", "position", "salience"};
            if (!json_is_object(e)) {
                JERR(j, NULL, PARLEY_E_SYNTAX, "expected a stance object, found %s", jtype(e));
            } else {
                check_keys(j, e, skeys, 3);
                padded_stance ps = {NULL, NAN, NAN};
                pnum pos = pnum_none(), sal = pnum_none();
                bool ok = get_str(j, e, "issue", &ps.issue, true);
                ok &= get_num(j, e, "position", &pos, true);
                ok &= get_num(j, e, "salience", &sal, true);
                free(pos.why), free(sal.why);
                ps.position = pos.v, ps.salience = sal.v;
                padded_stance *grown = ok ? realloc(ch->stances, (ch->n_stances + 1) * sizeof *grown) : NULL;
                if (grown) ch->stances = grown, ch->stances[ch->n_stances++] = ps;
                else free(ps.issue);
            }
            j->depth--;
        }
        j->depth--;
        return;
    }
    get_str(j, o, ops[op], &ch->target, true);
    json_t *round = json_object_get(o, "round");
    if (round) {
        if (!json_is_integer(round) || json_integer_value(round) < 1 || json_integer_value(round) > 100000 || op == PC_REMOVE)
            JERR(j, "round", PARLEY_E_SYNTAX, "expected a round from 1 (a shock to a position, set, shift or scale)");
        else ch->round = (int)json_integer_value(round);
    }
    if (op == PC_REMOVE) return;
    pnum n = pnum_none();
    get_num(j, o, op == PC_SET ? "value" : "by", &n, true);
    free(n.why);
    ch->value = n.v;
}

/* A shock: {"round": k, "set"|"shift"|"scale": "actor/issue/position", "value"|"by": number}. */
static void read_shock(jctx *j, json_t *o, const pu_map *actors, const pu_map *issues)
{
    static const char *const keys[] = {"round", "set", "shift", "scale", "value", "by"};
    static const char *const ops[] = {"set", "shift", "scale"};
    if (!json_is_object(o)) {
        JERR(j, NULL, PARLEY_E_SYNTAX, "expected a shock object, found %s", jtype(o));
        return;
    }
    check_keys(j, o, keys, 6);
    int op = -1, count = 0;
    for (int k = 0; k < 3; k++)
        if (json_object_get(o, ops[k])) op = k, count++;
    json_t *round = json_object_get(o, "round");
    if (count != 1 || !json_is_integer(round) || json_integer_value(round) < 1 || json_integer_value(round) > 100000) {
        JERR(j, NULL, PARLEY_E_SYNTAX, "expected a round from 1 and exactly one of \"set\", \"shift\" or \"scale\"");
        return;
    }
    const char *t = json_string_value(json_object_get(o, ops[op]));
    const char *s1 = t ? strchr(t, '/') : NULL, *s2 = s1 ? strchr(s1 + 1, '/') : NULL;
    if (!s2 || strcmp(s2 + 1, "position")) {
        JERR(j, ops[op], PARLEY_E_SYNTAX, "expected \"actor/issue/position\", found %s", t ? t : jtype(json_object_get(o, ops[op])));
        return;
    }
    /* The ids are looked up whole, however long (a clipped copy could name another actor). */
    char *actor = pu_strndup(t, (size_t)(s1 - t)), *issue = pu_strndup(s1 + 1, (size_t)(s2 - s1 - 1));
    size_t a, k;
    bool known = false;
    if (!actor || !issue) JERR(j, NULL, PARLEY_E_NOMEM, "out of memory");
    else if (!pu_map_get(actors, actor, &a)) JERR(j, ops[op], PARLEY_E_INVALID, "unknown actor \"%s\"", actor);
    else if (!pu_map_get(issues, issue, &k)) JERR(j, ops[op], PARLEY_E_INVALID, "unknown issue \"%s\"", issue);
    else known = true;
    free(actor), free(issue);
    if (!known) return;
    pnum n = pnum_none();
    if (!get_num(j, o, op == 0 ? "value" : "by", &n, true)) return;
    free(n.why);
    parley_scenario *s = j->c->s;
    if (s->n_shocks >= PARLEY_MAX_SHOCKS) {
        JERR(j, NULL, PARLEY_E_LIMIT, "more shocks than the limit of %u", PARLEY_MAX_SHOCKS);
        return;
    }
    if (!pu_grow((void **)&s->shocks, &s->cap_shocks, s->n_shocks + 1, sizeof *s->shocks)) {
        JERR(j, NULL, PARLEY_E_NOMEM, "out of memory");
        return;
    }
    s->shocks[s->n_shocks++] = (pshock){a, k, (int)json_integer_value(round), (pchange_op)op, n.v, j->here};
}

static void read_variant(jctx *j, json_t *o)
{
    static const char *const keys[] = {"id", "name", "description", "changes"};
    if (!json_is_object(o)) {
        JERR(j, NULL, PARLEY_E_SYNTAX, "expected a variant object, found %s", jtype(o));
        return;
    }
    check_keys(j, o, keys, 4);
    parley_scenario *s = j->c->s;
    if (s->n_variants >= PARLEY_MAX_VARIANTS) {
        JERR(j, NULL, PARLEY_E_LIMIT, "more variants than the limit of %u", PARLEY_MAX_VARIANTS);
        return;
    }
    if (!pu_grow((void **)&s->variants, &s->cap_variants, s->n_variants + 1, sizeof *s->variants)) {
        JERR(j, NULL, PARLEY_E_NOMEM, "out of memory");
        return;
    }
    pvariant *pv = &s->variants[s->n_variants++];
    memset(pv, 0, sizeof *pv);
    pv->loc = j->here;
    get_str(j, o, "id", &pv->id, true);
    get_str(j, o, "name", &pv->name, false);
    get_str(j, o, "description", &pv->description, false);
    json_t *ch = get_array(j, o, "changes", true);
    size_t i, n_at = 0;
    json_t *e;
    const char **at = j->change_at ? js_elements(js_member(j->change_at, j->c->data + j->c->len, "changes"),
                                                 j->c->data + j->c->len, &n_at)
                                   : NULL;
    j->path[j->depth++] = (jpath){"changes", 0};
    json_array_foreach(ch, i, e) {
        j->path[j->depth++] = (jpath){NULL, i};
        j->change_at = i < n_at ? at[i] : NULL;
        read_change(j, e, pv);
        j->depth--;
    }
    j->depth--;
    j->change_at = NULL;
    free(at);
}

static json_t *get_array(jctx *j, json_t *root, const char *key, bool required)
{
    json_t *v = json_object_get(root, key);
    if (!v) {
        if (required) JERR(j, NULL, PARLEY_E_SYNTAX, "expected a key \"%s\" holding a list, found none", key);
        return NULL;
    }
    if (!json_is_array(v)) {
        JERR(j, key, PARLEY_E_SYNTAX, "expected a list, found %s", jtype(v));
        return NULL;
    }
    return v;
}

parley_status rd_json(rd_ctx *c)
{
    json_error_t jerr;
    json_t *root = json_loadb(c->data, c->len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return PERR(c->err, PARLEY_E_SYNTAX, c->file, jerr.line, jerr.column, NULL, "invalid JSON: %s", jerr.text);
    size_t before = parley_error_errors(c->err);
    jctx j = {.c = c};
    if (!json_is_object(root)) {
        JERR(&j, NULL, PARLEY_E_SYNTAX, "expected a scenario object, found %s", jtype(root));
        json_decref(root);
        return PARLEY_E_SYNTAX;
    }
    static const char *const keys[] = {"schema_version", "name", "description", "date", "sources", "notes",
                                       "batch", "models", "issues", "actors", "stances", "variants", "shocks"};
    check_keys(&j, root, keys, sizeof keys / sizeof *keys);
    json_t *ver = json_object_get(root, "schema_version");
    if (ver && (!json_is_integer(ver) || json_integer_value(ver) != 1))
        JERR(&j, "schema_version", PARLEY_E_SYNTAX, "expected schema_version 1, found %s",
             json_is_integer(ver) ? "another version" : jtype(ver));
    parley_scenario *s = c->s;
    get_str(&j, root, "name", &s->name, false);
    get_str(&j, root, "description", &s->description, false);
    get_str(&j, root, "date", &s->date, false);
    get_str(&j, root, "notes", &s->notes, false);
    get_str(&j, root, "models", &s->models, false);
    if (s->models) s->models_loc = jloc(&j, "models");
    json_t *batch = json_object_get(root, "batch");
    if (batch && !json_is_boolean(batch)) JERR(&j, "batch", PARLEY_E_SYNTAX, "expected true or false, found %s", jtype(batch));
    s->batch = batch && json_is_true(batch);
    json_t *src = get_array(&j, root, "sources", false);
    size_t i;
    json_t *v;
    if (src) {
        j.path[j.depth++] = (jpath){"sources", 0};
        json_array_foreach(src, i, v) {
            if (!json_is_string(v)) {
                j.path[j.depth++] = (jpath){NULL, i};
                JERR(&j, NULL, PARLEY_E_SYNTAX, "expected a string, found %s", jtype(v));
                j.depth--;
            } else {
                sc_add_source(s, json_string_value(v));
            }
        }
        j.depth--;
    }
    pu_map actors = {0}, issues = {0};
    const char *lists[] = {"issues", "actors", "stances"};
    for (int l = 0; l < 3; l++) {
        json_t *arr = get_array(&j, root, lists[l], true);
        if (!arr) continue;
        size_t nlocs = 0;
        ploc *locs = js_element_locs(c->data, c->len, lists[l], &nlocs);
        j.path[j.depth++] = (jpath){lists[l], 0};
        json_array_foreach(arr, i, v) {
            if (perr_full(c->err)) break;
            j.here = i < nlocs ? locs[i] : (ploc){0, 0};
            j.path[j.depth++] = (jpath){NULL, i};
            if (l == 0) read_issue(&j, v, &issues);
            else if (l == 1) read_actor(&j, v, &actors);
            else read_stance(&j, v, &actors, &issues);
            j.depth--;
        }
        j.depth--;
        free(locs);
    }
    json_t *shocks = get_array(&j, root, "shocks", false);
    if (shocks) {
        size_t nlocs = 0;
        ploc *locs = js_element_locs(c->data, c->len, "shocks", &nlocs);
        j.path[j.depth++] = (jpath){"shocks", 0};
        json_array_foreach(shocks, i, v) {
            j.here = i < nlocs ? locs[i] : (ploc){0, 0};
            j.path[j.depth++] = (jpath){NULL, i};
            read_shock(&j, v, &actors, &issues);
            j.depth--;
        }
        j.depth--;
        free(locs);
    }
    json_t *vars = get_array(&j, root, "variants", false);
    if (vars) {
        /* The variants' starts, found once: their places, and where their changes are looked for. */
        size_t n_at = 0;
        jpath vp = {"variants", 0};
        const char **at = js_elements(c->data + js_locate(c->data, c->len, &vp, 1), c->data + c->len, &n_at);
        ploc *locs = at ? js_locs(c->data, at, n_at) : NULL;
        size_t nlocs = locs ? n_at : 0;
        j.lines = (jlines){c->data, NULL, {1, 1}};
        j.path[j.depth++] = (jpath){"variants", 0};
        json_array_foreach(vars, i, v) {
            j.here = i < nlocs ? locs[i] : (ploc){0, 0};
            j.path[j.depth++] = (jpath){NULL, i};
            /* The variant's changes are found from where it starts. */
            j.change_at = i < n_at ? at[i] : NULL;
            read_variant(&j, v);
            j.depth--;
        }
        j.depth--;
        j.change_at = NULL;
        free(locs);
        free(at);
    }
    pu_map_free(&actors);
    pu_map_free(&issues);
    json_decref(root);
    return parley_error_errors(c->err) == before ? PARLEY_OK : parley_error_status(c->err);
}
