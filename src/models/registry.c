/* registry.c - the table of models, their traits, and the checks a table must pass. Adding a model adds
 * one line X(pm_NAME) to PARLEY_MODEL_TABLE. */
#include <math.h>
#include <string.h>

#include "model.h"
#include "parley/utility.h"

/* A build may add a model at compile time without editing this file: -DPARLEY_EXTRA_MODEL=pm_toy appends
 * pm_toy to the table (tests/toy/ builds a registry this way, to show that a model is one file and one
 * line); a header may instead define PARLEY_EXTRA_MODELS(X) as several X(pm_NAME) lines (build systems
 * do not all pass a function-like macro on the command line). There is no registration at run time: the
 * table is fixed when the library is built. */
#if defined(PARLEY_EXTRA_MODEL) && !defined(PARLEY_EXTRA_MODELS)
#define PARLEY_EXTRA_MODELS(X) X(PARLEY_EXTRA_MODEL)
#endif
#ifndef PARLEY_EXTRA_MODELS
#define PARLEY_EXTRA_MODELS(X)
#endif

/* One line per model, in the order `parley models` lists them and the default plan runs them. */
#define PARLEY_MODEL_TABLE(X)                                                                                        \
    X(pm_ensemble)                                                                                                   \
    X(pm_compromise)                                                                                                 \
    X(pm_median)                                                                                                     \
    X(pm_mean)                                                                                                       \
    X(pm_nash)                                                                                                       \
    X(pm_bdm)                                                                                                        \
    X(pm_exchange_model)                                                                                             \
    X(pm_smp)                                                                                                        \
    X(pm_saop)                                                                                                       \
    X(pm_zeuthen)                                                                                                    \
    PARLEY_EXTRA_MODELS(X)

#define DECLARE_MODEL(m) extern const struct parley_model m;
PARLEY_MODEL_TABLE(DECLARE_MODEL)
#define LIST_MODEL(m) &m,
static const parley_model *const models[] = {PARLEY_MODEL_TABLE(LIST_MODEL)};

#define N_MODELS (sizeof models / sizeof *models)

size_t parley_model_count(void) { return N_MODELS; }
const parley_model *parley_model_at(size_t i) { return i < N_MODELS ? models[i] : NULL; }

const parley_model *parley_model_find(const char *name)
{
    for (size_t i = 0; i < N_MODELS; i++)
        if (strcmp(models[i]->name, name) == 0) return models[i];
    return NULL;
}

const char *parley_model_name(const parley_model *m) { return m->name; }
const char *parley_model_summary(const parley_model *m) { return m->summary; }
size_t parley_model_option_count(const parley_model *m) { return m->n_options; }
const parley_option_spec *parley_model_option(const parley_model *m, size_t i) { return i < m->n_options ? &m->options[i] : NULL; }
size_t parley_model_preset_count(const parley_model *m) { return m->n_presets; }
const parley_preset *parley_model_preset(const parley_model *m, size_t i) { return i < m->n_presets ? &m->presets[i] : NULL; }
bool parley_model_suits(const parley_model *m, const parley_scenario *s) { return !parley_model_unsuited(m, s) && (!m->suits || m->suits(s)); }

const char *parley_model_unsuited(const parley_model *m, const parley_scenario *s)
{
    if (!m->handles_options && parley_scenario_has_options(s))
        return "it forecasts a position on each issue's scale, and this scenario has option issues (named "
               "options, no scale): name a model that reads whole agreements, or give every issue a scale";
    return NULL;
}
parley_scope parley_model_scope(const parley_model *m) { return m->scope; }
unsigned parley_model_records(const parley_model *m) { return m->records; }

const char *parley_scope_name(parley_scope scope)
{
    switch (scope) {
    case PARLEY_SCOPE_ISSUE: return "issue";
    case PARLEY_SCOPE_GROUP: return "group";
    }
    return NULL;
}

const char *parley_record_name(unsigned record)
{
    switch (record) {
    case PARLEY_RECORDS_ROUNDS: return "rounds";
    case PARLEY_RECORDS_PRESSURE: return "pressure";
    case PARLEY_RECORDS_TRADES: return "trades";
    case PARLEY_RECORDS_NEGOTIATIONS: return "negotiations";
    case PARLEY_RECORDS_DISTRIBUTIONS: return "distributions";
    default: return NULL;
    }
}

/* Returns whether the word of length n is one of the '|'-separated choices. */
static bool is_choice(const char *choices, const char *word, size_t n)
{
    for (const char *p = choices; p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && len && !strncmp(p, word, n)) return true;
        p = bar ? bar + 1 : NULL;
    }
    return false;
}

/* Returns whether text (n bytes) is a value option o takes, by the rules plan.c applies to a SPEC. */
static bool value_ok(const parley_option_spec *o, const char *text, size_t n)
{
    double v;
    switch (o->type) {
    case PARLEY_OPTION_CHOICE: return o->choices && is_choice(o->choices, text, n);
    case PARLEY_OPTION_BOOLEAN:
        return is_choice("true|1|yes|false|0|no", text, n);
    case PARLEY_OPTION_FILE: return n == 0; /* a default names no file; presets name none either */
    case PARLEY_OPTION_CHOICES:
        for (size_t a = 0; a < n;) {
            size_t b = a;
            while (b < n && text[b] != '+') b++;
            if (!o->choices || !is_choice(o->choices, text + a, b - a)) return false;
            a = b + 1;
        }
        return true;
    case PARLEY_OPTION_NUMBER:
    case PARLEY_OPTION_INTEGER:
        return !(o->min > o->max) && pu_parse_double(text, n, false, &v) && v >= o->min && v <= o->max &&
               (o->type == PARLEY_OPTION_NUMBER || v == floor(v));
    }
    return false;
}

/* Checks one preset's "k=v,k=v" list against model m; returns the fault or NULL. */
static const char *preset_fault(const parley_model *m, const char *list, const char **item)
{
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        *item = p;
        if (!eq) return "an item without '='";
        size_t klen = (size_t)(eq - p), j;
        for (j = 0; j < m->n_options; j++)
            if (strlen(m->options[j].name) == klen && !strncmp(m->options[j].name, p, klen)) break;
        if (j == m->n_options) return "an option the model does not declare";
        if (!value_ok(&m->options[j], eq + 1, len - klen - 1)) return "a value the option does not take";
        p = comma ? comma + 1 : NULL;
    }
    return NULL;
}

parley_status pm_registry_check(const parley_model *const *table, size_t n, parley_error *err)
{
    const char *where = "model registry";
    for (size_t i = 0; i < n; i++) {
        const parley_model *m = table[i];
        if (!m || !m->name || !*m->name || strpbrk(m->name, ",:= \t") || !m->run)
            return PERR(err, PARLEY_E_INTERNAL, NULL, 0, 0, where,
                        "entry %zu: expected a model with a name (no ',', ':', '=' or blank) and a run function", i);
        for (size_t k = 0; k < i; k++)
            if (!strcmp(table[k]->name, m->name))
                return PERR(err, PARLEY_E_INTERNAL, NULL, 0, 0, where, "model %s: the name is taken by entry %zu", m->name, k);
        if (!m->summary || !*m->summary)
            return PERR(err, PARLEY_E_INTERNAL, NULL, 0, 0, where, "model %s: expected a summary", m->name);
        if (!parley_scope_name(m->scope) || (m->records & ~PARLEY_RECORDS_ALL))
            return PERR(err, PARLEY_E_INTERNAL, NULL, 0, 0, where, "model %s: unknown scope %d or records 0x%x", m->name,
                        (int)m->scope, m->records);
        if (m->n_options > PM_MAX_OPTIONS || (m->n_options && !m->options))
            return PERR(err, PARLEY_E_INTERNAL, NULL, 0, 0, where, "model %s: expected at most %d options, found %zu", m->name,
                        PM_MAX_OPTIONS, m->n_options);
        for (size_t j = 0; j < m->n_options; j++) {
            const parley_option_spec *o = &m->options[j];
            if (!o->name || !*o->name || strpbrk(o->name, ",:= \t"))
                return PERR(err, PARLEY_E_INTERNAL, NULL, 0, 0, where, "model %s: option %zu has no usable name", m->name, j);
            for (size_t k = 0; k < j; k++)
                if (!strcmp(m->options[k].name, o->name))
                    return PERR(err, PARLEY_E_INTERNAL, NULL, 0, 0, where, "model %s: option %s is declared twice", m->name,
                                o->name);
            if (!o->default_value || !value_ok(o, o->default_value, strlen(o->default_value)))
                return PERR(err, PARLEY_E_INTERNAL, NULL, 0, 0, where, "model %s option %s: the default \"%s\" is not a value it takes",
                            m->name, o->name, o->default_value ? o->default_value : "(none)");
        }
        if (m->n_presets && !m->presets)
            return PERR(err, PARLEY_E_INTERNAL, NULL, 0, 0, where, "model %s: %zu presets but no table", m->name, m->n_presets);
        for (size_t j = 0; j < m->n_presets; j++) {
            const parley_preset *ps = &m->presets[j];
            if (!ps->name || !*ps->name || strpbrk(ps->name, ",:= \t") || !ps->options)
                return PERR(err, PARLEY_E_INTERNAL, NULL, 0, 0, where, "model %s: preset %zu has no usable name or options",
                            m->name, j);
            for (size_t k = 0; k < j; k++)
                if (!strcmp(m->presets[k].name, ps->name))
                    return PERR(err, PARLEY_E_INTERNAL, NULL, 0, 0, where, "model %s: preset %s is declared twice", m->name,
                                ps->name);
            const char *item = NULL, *why = preset_fault(m, ps->options, &item);
            if (why)
                return PERR(err, PARLEY_E_INTERNAL, NULL, 0, 0, where, "model %s preset %s: %s at \"%s\"", m->name, ps->name,
                            why, item);
        }
    }
    return PARLEY_OK;
}
