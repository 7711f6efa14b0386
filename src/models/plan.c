/* plan.c - parsing model SPECs into a plan of models with resolved options. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "model.h"

typedef struct plan_entry {
    const parley_model *model;
    char *preset;
    pm_options opts;
    char *texts[PM_MAX_OPTIONS]; /* resolved values as text, built on demand */
    bool given[PM_MAX_OPTIONS];  /* set in the SPEC itself: a second setting is a mistake, not an override */
    bool from_file[PM_MAX_OPTIONS]; /* set by a FILE option's file: the label names the file, not these */
    char *files[PM_MAX_OPTIONS];    /* FILE options: the path as given */
    char *label;                 /* built on demand */
} plan_entry;

struct parley_plan {
    plan_entry *e;
    size_t n, cap;
};

void parley_plan_free(parley_plan *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->e[i].preset);
        free(p->e[i].label);
        for (size_t j = 0; j < PM_MAX_OPTIONS; j++) free(p->e[i].texts[j]), free(p->e[i].files[j]);
    }
    free(p->e);
    free(p);
}

size_t parley_plan_count(const parley_plan *p) { return p ? p->n : 0; }
const parley_model *parley_plan_model(const parley_plan *p, size_t i) { return i < p->n ? p->e[i].model : NULL; }
const char *parley_plan_preset(const parley_plan *p, size_t i) { return i < p->n ? p->e[i].preset : NULL; }

const pm_options *plan_options(const parley_plan *p, size_t i);
const pm_options *plan_options(const parley_plan *p, size_t i) { return &p->e[i].opts; }

/* Returns option j of entry i as text (built once; the caller holds text_lock or owns the plan alone). */
static const char *option_text_locked(const parley_plan *p, size_t i, size_t j);

/* Returns the index of word in a '|'-separated list, or -1. */
static int choice_index(const char *choices, const char *word)
{
    size_t wl = strlen(word);
    int idx = 0;
    for (const char *p = choices;; idx++) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == wl && strncmp(p, word, n) == 0) return idx;
        if (!bar) return -1;
        p = bar + 1;
    }
}

/* Returns the index of option `key` in m's table, or m->n_options when it has none of that name. */
static size_t option_index(const parley_model *m, const char *key)
{
    size_t j = 0;
    while (j < m->n_options && strcmp(m->options[j].name, key)) j++;
    return j;
}

static parley_status set_option(plan_entry *e, const char *key, const char *val, parley_error *err);

/* The most bytes a FILE option's file may hold: parameters, not data. */
#define PLAN_FILE_MAX (1u << 20)

/* Sets FILE option j of e to path: reads the file's "params" object and sets each of the model's options
 * it names from it (numbers as numbers, choices and booleans as their words). An option the SPEC itself
 * sets too is a conflict. "" clears the option. Returns PARLEY_OK or PARLEY_E_USAGE/INPUT/IO with err
 * filled (file, line, column, field). */
/* Sets *line and *col (1-based) to where "key" first appears as a quoted string in text, or 0 and 0: jansson
 * keeps no positions, and a parameter file is small and flat enough for the first match to be the key. */
static void key_position(const char *text, const char *key, int *line, int *col)
{
    *line = *col = 0;
    size_t kl = strlen(key);
    int l = 1, c = 1;
    for (const char *p = text; *p; p++) {
        if (*p == '"' && !strncmp(p + 1, key, kl) && p[kl + 1] == '"') {
            *line = l, *col = c;
            return;
        }
        if (*p == '\n') l++, c = 1;
        else c++;
    }
}

/* The flags of the parley_plan_parse_with call running on this thread. */
static _Thread_local unsigned parse_flags;

static parley_status set_file_option(plan_entry *e, size_t j, const char *path, parley_error *err)
{
    const parley_model *m = e->model;
    if (*path && (parse_flags & PARLEY_PLAN_NO_FILES))
        return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--model", "%s option %s names a file, which this caller does not allow",
                    m->name, m->options[j].name);
    free(e->files[j]), e->files[j] = NULL;
    free(e->label), e->label = NULL;
    free(e->texts[j]), e->texts[j] = NULL;
    e->opts.v[j] = 0;
    if (!*path) return PARLEY_OK;
    if (!(e->files[j] = pu_strdup(path))) return PARLEY_E_NOMEM;
    e->opts.v[j] = 1;
    FILE *f = fopen(path, "rb");
    if (!f)
        return PERR(err, pu_errno_is_callers(errno) ? PARLEY_E_USAGE : PARLEY_E_IO, path, 0, 0, m->options[j].name,
                    "cannot open the %s option's file: %s", m->name, strerror(errno));
    char *text = malloc(PLAN_FILE_MAX + 1);
    size_t len = text ? fread(text, 1, PLAN_FILE_MAX + 1, f) : 0;
    bool read_failed = text && ferror(f);
    fclose(f);
    if (!text) return PARLEY_E_NOMEM;
    if (read_failed || len > PLAN_FILE_MAX) {
        free(text);
        return read_failed ? PERR(err, PARLEY_E_IO, path, 0, 0, m->options[j].name, "read error")
                           : PERR(err, PARLEY_E_LIMIT, path, 0, 0, m->options[j].name, "expected at most %u bytes, found more",
                                  PLAN_FILE_MAX);
    }
    text[len] = '\0';
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        free(text);
        return PERR(err, PARLEY_E_SYNTAX, path, je.line, je.column, m->options[j].name,
                    "expected a JSON file of %s parameters: %s", m->name, je.text);
    }
    parley_status st = PARLEY_OK;
    json_t *params = json_object_get(root, "params");
    int line, col;
    if (!json_is_object(params)) {
        key_position(text, "params", &line, &col);
        st = PERR(err, PARLEY_E_SYNTAX, path, line, col, "params", "expected an object \"params\" of %s option values, found %s",
                  m->name, params ? "another type" : "none");
    }
    const char *key;
    json_t *val;
    json_object_foreach(params, key, val)
    {
        if (st != PARLEY_OK) break;
        size_t k = option_index(m, key);
        char num[64];
        key_position(text, key, &line, &col);
        if (k == m->n_options || m->options[k].type == PARLEY_OPTION_FILE) {
            st = PERR(err, PARLEY_E_SYNTAX, path, line, col, key, "params: expected an option of model %s, found \"%s\"",
                      m->name, key);
            break;
        }
        if (e->given[k]) {
            st = PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--model",
                      "%s option %s is given twice (expected it once, found it in the SPEC and in %s)", m->name, key, path);
            break;
        }
        if (json_is_number(val)) pu_fmt_double(num, sizeof num, json_number_value(val));
        else if (json_is_string(val)) snprintf(num, sizeof num, "%s", json_string_value(val));
        else if (json_is_boolean(val)) snprintf(num, sizeof num, "%s", json_is_true(val) ? "true" : "false");
        else {
            st = PERR(err, PARLEY_E_SYNTAX, path, line, col, key, "params: expected a number, a word or true/false for %s", key);
            break;
        }
        parley_error *inner = parley_error_new();
        st = set_option(e, key, num, inner);
        if (st != PARLEY_OK) {
            const parley_diag *d = inner ? parley_error_at(inner, 0) : NULL;
            st = PERR(err, PARLEY_E_INVALID, path, line, col, key, "params: %s", d ? d->message : "a value the option does not take");
        } else {
            e->from_file[k] = true;
            e->given[k] = true;
        }
        parley_error_free(inner);
    }
    free(text);
    json_decref(root);
    return st;
}

/* Sets option `key` of entry e from text. Returns PARLEY_OK or PARLEY_E_USAGE with err filled. */
static parley_status set_option(plan_entry *e, const char *key, const char *val, parley_error *err)
{
    const parley_model *m = e->model;
    size_t j = option_index(m, key);
    if (j == m->n_options) {
        const char *names[PM_MAX_OPTIONS]; /* add_entry has checked n_options against this bound */
        for (size_t i = 0; i < m->n_options; i++) names[i] = m->options[i].name;
        const char *hint = pu_did_you_mean(key, names, m->n_options);
        return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--model", "model %s has no option \"%s\"%s%s%s%s", m->name, key,
                    hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "",
                    m->n_options ? "" : "; it takes no options");
    }
    const parley_option_spec *o = &m->options[j];
    double v;
    if (o->type == PARLEY_OPTION_FILE) return set_file_option(e, j, val, err);
    switch (o->type) {
    case PARLEY_OPTION_CHOICE: {
        int k = choice_index(o->choices, val);
        if (k < 0)
            return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--model", "%s option %s: expected one of %s, found \"%s\"",
                        m->name, key, o->choices, val);
        v = k;
        break;
    }
    case PARLEY_OPTION_CHOICES: {
        /* Encoded as the digits (word index + 1) of a number in base (words + 1), first word lowest:
         * exact in a double up to 2^53, which bounds the list's length. */
        size_t words = 1;
        for (const char *c = o->choices; (c = strchr(c, '|')); c++) words++;
        double base = (double)words + 1, scale = 1;
        v = 0;
        for (const char *p = val; *p;) {
            size_t n = strcspn(p, "+");
            char word[64];
            snprintf(word, sizeof word, "%.*s", (int)(n < 63 ? n : 63), p);
            int k = n < 63 ? choice_index(o->choices, word) : -1;
            if (k < 0)
                return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--model",
                            "%s option %s: expected words of %s joined by '+', found \"%s\"", m->name, key, o->choices, val);
            v += (k + 1) * scale;
            scale *= base;
            if (scale > 9007199254740992.0)
                return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--model", "%s option %s: too many words in \"%s\"", m->name,
                            key, val);
            p += n;
            if (*p == '+') p++;
        }
        break;
    }
    case PARLEY_OPTION_BOOLEAN:
        if (!strcmp(val, "true") || !strcmp(val, "1") || !strcmp(val, "yes")) v = 1;
        else if (!strcmp(val, "false") || !strcmp(val, "0") || !strcmp(val, "no")) v = 0;
        else
            return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--model", "%s option %s: expected true or false, found \"%s\"",
                        m->name, key, val);
        break;
    default:
        if (!pu_parse_double(val, strlen(val), false, &v) || v < o->min || v > o->max ||
            (o->type == PARLEY_OPTION_INTEGER && v != floor(v)))
            return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--model", "%s option %s: expected %s from %g to %g, found \"%s\"",
                        m->name, key, o->type == PARLEY_OPTION_INTEGER ? "a whole number" : "a number", o->min,
                        o->max, val);
    }
    e->opts.v[j] = v;
    /* The texts describe the options: once one changes they are built again. */
    free(e->label), e->label = NULL;
    free(e->texts[j]), e->texts[j] = NULL;
    return PARLEY_OK;
}

/* Applies a "k=v,k=v" list (a preset's or the defaults'). */
static parley_status apply_list(plan_entry *e, const char *list, parley_error *err)
{
    char *copy = pu_strdup(list);
    if (!copy) return PARLEY_E_NOMEM;
    parley_status st = PARLEY_OK;
    for (char *save = NULL, *item = strtok_r(copy, ",", &save); item && st == PARLEY_OK; item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        if (!eq) continue;
        *eq = '\0';
        st = set_option(e, item, eq + 1, err);
    }
    free(copy);
    return st;
}

static plan_entry *add_entry(parley_plan *p, const parley_model *m)
{
    if (m->n_options > PM_MAX_OPTIONS) return NULL; /* a model's table past the bound: refused, never overrun */
    if (!pu_grow((void **)&p->e, &p->cap, p->n + 1, sizeof *p->e)) return NULL;
    plan_entry *e = &p->e[p->n++];
    memset(e, 0, sizeof *e);
    e->model = m;
    for (size_t j = 0; j < m->n_options; j++)
        if (set_option(e, m->options[j].name, m->options[j].default_value, NULL) != PARLEY_OK) return NULL;
    return e;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
    return s;
}

parley_status parley_plan_parse_with(parley_plan **plan, const char *spec, unsigned flags, parley_error *err)
{
    unsigned outer = parse_flags;
    parse_flags = flags;
    parley_status st = parley_plan_parse(plan, spec, err);
    parse_flags = outer;
    return st;
}

parley_status parley_plan_parse(parley_plan **plan, const char *spec, parley_error *err)
{
    if (!*plan && !(*plan = calloc(1, sizeof **plan))) return PARLEY_E_NOMEM;
    parley_plan *p = *plan;
    char *copy = pu_strdup(spec);
    if (!copy) return PARLEY_E_NOMEM;
    parley_status st = PARLEY_OK;
    plan_entry *cur = NULL;
    char *rest = copy;
    while (rest && st == PARLEY_OK) {
        char *comma = strchr(rest, ',');
        if (comma) *comma = '\0';
        char *item = trim(rest);
        rest = comma ? comma + 1 : NULL;
        if (!*item) {
            st = PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--model", "empty item in model SPEC \"%s\"", spec);
            break;
        }
        char *eq = strchr(item, '=');
        if (eq) {
            *eq = '\0';
            char *key = trim(item), *val = trim(eq + 1);
            if (!cur)
                st = PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--model",
                          "option \"%s\" comes before any model name (write e.g. median,%s=%s)", key, key, val);
            else {
                size_t j = option_index(cur->model, key);
                if (j < cur->model->n_options && cur->given[j]) {
                    st = PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--model",
                              "%s option %s is given twice (expected it once, found %s=%s after %s=%s)", cur->model->name,
                              key, key, val, key, option_text_locked(p, (size_t)(cur - p->e), j));
                    continue;
                }
                st = set_option(cur, key, val, err);
                if (j < cur->model->n_options) cur->given[j] = true;
            }
            continue;
        }
        char *colon = strchr(item, ':');
        if (colon) *colon = '\0';
        const parley_model *m = parley_model_find(item);
        if (!m) {
            size_t n = parley_model_count();
            const char **names = malloc((n ? n : 1) * sizeof *names);
            for (size_t i = 0; names && i < n; i++) names[i] = parley_model_at(i)->name;
            const char *hint = names ? pu_did_you_mean(item, names, n) : NULL;
            free(names);
            st = PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--model", "unknown model \"%s\"%s%s%s (see `parley models`)", item,
                      hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
            break;
        }
        cur = add_entry(p, m);
        if (!cur) {
            st = m->n_options > PM_MAX_OPTIONS
                     ? PERR(err, PARLEY_E_INTERNAL, NULL, 0, 0, "--model", "model %s declares %zu options; the limit is %d",
                            m->name, m->n_options, PM_MAX_OPTIONS)
                     : PARLEY_E_NOMEM;
            break;
        }
        if (colon) {
            const char *pname = colon + 1;
            size_t k;
            for (k = 0; k < m->n_presets; k++)
                if (strcmp(m->presets[k].name, pname) == 0) break;
            if (k == m->n_presets) {
                const char **names = malloc((m->n_presets ? m->n_presets : 1) * sizeof *names);
                for (size_t i = 0; names && i < m->n_presets; i++) names[i] = m->presets[i].name;
                const char *hint = names ? pu_did_you_mean(pname, names, m->n_presets) : NULL;
                free(names);
                st = PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--model", "model %s has no preset \"%s\"%s%s%s", m->name,
                          pname, hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
                break;
            }
            cur->preset = pu_strdup(pname);
            st = apply_list(cur, m->presets[k].options, err);
        }
    }
    free(copy);
    return st;
}

size_t pm_choices(const parley_option_spec *o, double v, int *idx, size_t max)
{
    size_t words = 1;
    for (const char *c = o->choices; c && (c = strchr(c, '|')); c++) words++;
    double base = (double)words + 1;
    size_t n = 0;
    while (v >= 1 && n < max) {
        double d = fmod(v, base);
        idx[n++] = (int)d - 1;
        v = (v - d) / base;
    }
    return n;
}

parley_plan *parley_plan_default(const parley_scenario *s)
{
    parley_plan *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    for (size_t i = 0; i < parley_model_count(); i++) {
        const parley_model *m = parley_model_at(i);
        if (!m->named_only && parley_model_suits(m, s) && !add_entry(p, m)) {
            parley_plan_free(p);
            return NULL;
        }
    }
    return p;
}

/* Labels and option texts are built on first use and kept until an option changes; runs on many threads
 * (Monte Carlo draws) share one plan, so the building is serialised. */
static pthread_mutex_t text_lock = PTHREAD_MUTEX_INITIALIZER;

const char *parley_plan_label(const parley_plan *p, size_t i)
{
    if (i >= p->n) return "";
    plan_entry *e = &p->e[i];
    pthread_mutex_lock(&text_lock);
    if (e->label) {
        pthread_mutex_unlock(&text_lock);
        return e->label;
    }
    pu_buf b = {0};
    pu_buf_puts(&b, e->model->name);
    if (e->preset) pu_buf_printf(&b, ":%s", e->preset);
    /* Options count as chosen when they differ from what the preset (or the defaults) would give. */
    plan_entry base = {.model = e->model};
    for (size_t j = 0; j < e->model->n_options; j++)
        set_option(&base, e->model->options[j].name, e->model->options[j].default_value, NULL);
    for (size_t k = 0; e->preset && k < e->model->n_presets; k++)
        if (!strcmp(e->model->presets[k].name, e->preset)) apply_list(&base, e->model->presets[k].options, NULL);
    for (size_t j = 0; j < e->model->n_options; j++)
        if (base.opts.v[j] != e->opts.v[j] && !e->from_file[j])
            pu_buf_printf(&b, ",%s=%s", e->model->options[j].name, option_text_locked(p, i, j));
    e->label = pu_buf_take(&b);
    pthread_mutex_unlock(&text_lock);
    return e->label ? e->label : "";
}

parley_plan *parley_plan_default_backtest(const parley_scenario *s)
{
    parley_plan *p = parley_plan_default(s);
    size_t n = parley_plan_count(p);
    for (size_t i = 0; p && i < n; i++) {
        const parley_model *m = p->e[i].model;
        for (size_t j = 0; j < m->n_options; j++) {
            const parley_option_spec *o = &m->options[j];
            if (strcmp(o->name, "forecast") || o->type != PARLEY_OPTION_CHOICE || choice_index(o->choices, "mean") < 0)
                continue;
            plan_entry *e = add_entry(p, m);
            if (!e || set_option(e, "forecast", "mean", NULL) != PARLEY_OK) {
                parley_plan_free(p);
                return NULL;
            }
        }
    }
    return p;
}

const char *parley_plan_option_text(const parley_plan *p, size_t i, size_t j)
{
    pthread_mutex_lock(&text_lock);
    const char *t = option_text_locked(p, i, j);
    pthread_mutex_unlock(&text_lock);
    return t;
}

static const char *option_text_locked(const parley_plan *p, size_t i, size_t j)
{
    if (i >= p->n || j >= p->e[i].model->n_options) return "";
    plan_entry *e = &p->e[i];
    if (e->texts[j]) return e->texts[j];
    const parley_option_spec *o = &e->model->options[j];
    double v = e->opts.v[j];
    char buf[64];
    if (o->type == PARLEY_OPTION_FILE) {
        e->texts[j] = pu_strdup(e->files[j] ? e->files[j] : "");
        return e->texts[j] ? e->texts[j] : "";
    } else if (o->type == PARLEY_OPTION_CHOICE) {
        const char *c = o->choices;
        for (int k = 0; k < (int)v && c; k++) {
            c = strchr(c, '|');
            if (c) c++;
        }
        size_t n = c ? strcspn(c, "|") : 0;
        snprintf(buf, sizeof buf, "%.*s", (int)n, c ? c : "");
    } else if (o->type == PARLEY_OPTION_CHOICES) {
        int idx[64];
        size_t n = pm_choices(o, v, idx, 64), len = 0;
        buf[0] = 0;
        for (size_t q = 0; q < n; q++) {
            const char *c = o->choices;
            for (int k = 0; k < idx[q] && c; k++) {
                c = strchr(c, '|');
                if (c) c++;
            }
            size_t wl = c ? strcspn(c, "|") : 0;
            if (len + wl + 2 >= sizeof buf) break;
            len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%.*s", q ? "+" : "", (int)wl, c ? c : "");
        }
    } else if (o->type == PARLEY_OPTION_BOOLEAN) {
        snprintf(buf, sizeof buf, "%s", v ? "true" : "false");
    } else {
        pu_fmt_double(buf, sizeof buf, v);
    }
    e->texts[j] = pu_strdup(buf);
    return e->texts[j] ? e->texts[j] : "";
}
