/* registry.c - the table of models. Adding a model adds one line here. */
#include <string.h>

#include "model.h"

extern const struct parley_model pm_compromise, pm_median, pm_mean, pm_nash, pm_bdm, pm_exchange_model, pm_smp;

static const parley_model *const models[] = {
    &pm_compromise,
    &pm_median,
    &pm_mean,
    &pm_nash,
    &pm_bdm,
    &pm_exchange_model,
    &pm_smp,
};

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
bool parley_model_suits(const parley_model *m, const parley_scenario *s) { return !m->suits || m->suits(s); }
