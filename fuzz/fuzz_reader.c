/* fuzz_reader.c - libFuzzer harness for one scenario reader, chosen at build time by FUZZ_FORMAT.
 * Whatever the bytes, reading must not crash; whatever reads, must serialise, read back and run. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/parley.h"

#ifndef FUZZ_FORMAT
#error "define FUZZ_FORMAT as one of json, csv, bdm, ktab, decide, deu"
#endif

static void round_trip(const parley_scenario *s, const char *format)
{
    parley_error *err = parley_error_new();
    char *text = parley_scenario_serialize(s, format, err);
    if (text) {
        parley_scenario *again = NULL;
        parley_read_options o = {format, "fraction"};
        /* What parley writes, parley must read (saliences are written as fractions). */
        if (parley_read_buffer(text, strlen(text), "roundtrip", &o, &again, err) != PARLEY_OK) {
            char buf[512];
            for (size_t i = 0; i < parley_error_count(err); i++) {
                parley_diag_format(parley_error_at(err, i), buf, sizeof buf);
                fprintf(stderr, "%s\n", buf);
            }
            fprintf(stderr, "---- serialised as %s:\n%s\n", format, text);
            abort();
        }
        parley_scenario_free(again);
        free(text);
    }
    parley_error_free(err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    parley_read_options o = {FUZZ_FORMAT, NULL};
    if (parley_read_buffer((const char *)data, size, "fuzz." FUZZ_FORMAT, &o, &s, err) == PARLEY_OK) {
        round_trip(s, "json");
        /* Every model, with few rounds: the harness looks for crashes, and must stay fast on any input. */
        parley_plan *plan = NULL;
        parley_plan_parse(&plan, "compromise,median,mean,nash,disagreement=worst,bdm,rounds=3,exchange,rounds=2,smp,max_turns=2", err);
        parley_result *r = parley_run(s, plan, 1, err);
        if (r) {
            char *t = parley_report(s, r, "text", err);
            char *j = parley_report(s, r, "json", err);
            free(t), free(j);
            parley_result_free(r);
        }
        /* Variants are built from the same document: the first one must build or fail cleanly. */
        parley_scenario *v = NULL;
        if (parley_variant_count(s) && parley_scenario_variant(s, 0, &v, err) == PARLEY_OK && plan) {
            parley_result *rv = parley_run(v, plan, 1, err);
            parley_result_free(rv);
        }
        parley_scenario_free(v);
        parley_plan_free(plan);
        parley_scenario_free(s);
    }
    /* Formatting every diagnostic exercises the error paths too. */
    char buf[256];
    for (size_t i = 0; i < parley_error_count(err); i++) parley_diag_format(parley_error_at(err, i), buf, sizeof buf);
    parley_error_free(err);
    return 0;
}
