/* cmd_models.c - `parley models`: the registry, with presets and options, from the models' own tables. */
#include <stdio.h>

#include "cli.h"

static const char help[] = "usage: parley models\n\nLists every model with its presets and options (name, type, "
                           "default, meaning).\nUse them in a SPEC: --model 'name:preset,option=value'.\n";

int cmd_models(int argc, char **argv)
{
    cli_args a;
    int rc = cli_start(argc, argv, "help", help, &a);
    if (rc >= 0) return rc;
    for (size_t i = 0; i < parley_model_count(); i++) {
        const parley_model *m = parley_model_at(i);
        printf("%s\n  %s\n", parley_model_name(m), parley_model_summary(m));
        /* the traits that decide which charts and report sections a model's runs get */
        printf("  scope: %s; records: ", parley_scope_name(parley_model_scope(m)));
        unsigned rec = parley_model_records(m);
        if (!rec) printf("forecasts only");
        for (unsigned bit = 1, first = 1; bit & PARLEY_RECORDS_ALL; bit <<= 1)
            if (rec & bit) printf("%s%s", first ? "" : ", ", parley_record_name(bit)), first = 0;
        printf("\n");
        for (size_t p = 0; p < parley_model_preset_count(m); p++) {
            const parley_preset *ps = parley_model_preset(m, p);
            printf("  preset %s:%s  %s\n", parley_model_name(m), ps->name, ps->help);
        }
        for (size_t j = 0; j < parley_model_option_count(m); j++) {
            const parley_option_spec *o = parley_model_option(m, j);
            const char *type = o->type == PARLEY_OPTION_CHOICE || o->type == PARLEY_OPTION_CHOICES ? o->choices
                               : o->type == PARLEY_OPTION_BOOLEAN ? "true|false"
                               : o->type == PARLEY_OPTION_FILE ? "FILE"
                               : o->type == PARLEY_OPTION_INTEGER ? "integer" : "number";
            printf("  option %s=%s (default %s)\n      %s\n", o->name, type, *o->default_value ? o->default_value : "none", o->help);
        }
        printf("\n");
    }
    cli_args_free(&a);
    return 0;
}
