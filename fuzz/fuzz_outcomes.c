/* fuzz_outcomes.c - libFuzzer harness for the known-outcomes reader (parley_outcomes_apply_buffer).
 * Whatever the bytes, applying them must not crash; whatever applies must serialise, read back, and be
 * scored by a backtest whose every report writes. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/parley.h"

/* The flagship's issue ids, so the seed corpus (examples/jeddah-2025-outcomes.csv) applies whole; one
 * issue on a scale of its own (-5 to 5) so that off-scale checks meet more than 0-100. */
static parley_scenario *scenario(void)
{
    static const char *const ids[] = {"ceasefire", "guarantees", "minerals", "aid", "territory", "sanctions"};
    parley_scenario *s = parley_scenario_new();
    size_t a[3], k;
    if (!s) return NULL;
    parley_scenario_add_actor(s, "us", NULL, 95, &a[0]);
    parley_scenario_add_actor(s, "ua", NULL, 45, &a[1]);
    parley_scenario_add_actor(s, "ru", NULL, 85, &a[2]);
    for (size_t i = 0; i < 6; i++) {
        double lo = i == 5 ? -5 : 0, hi = i == 5 ? 5 : 100;
        parley_scenario_add_issue(s, ids[i], NULL, lo, hi, &k);
        if (i == 0) parley_scenario_set_issue_number(s, k, PARLEY_ISSUE_OUTCOME, 50); /* one the file may set aside */
        for (size_t j = 0; j < 3; j++) parley_scenario_set_stance(s, a[j], k, lo + (hi - lo) * (double)j / 2, 0.5, NAN);
    }
    parley_error *err = parley_error_new();
    if (parley_scenario_finalize(s, err) != PARLEY_OK) {
        parley_scenario_free(s);
        s = NULL;
    }
    parley_error_free(err);
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static parley_scenario *base;
    if (!base && !(base = scenario())) abort(); /* built once: the harness looks at the reader, not at this */
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    if (parley_outcomes_apply_buffer(base, (const char *)data, size, "fuzz.csv", &s, err) == PARLEY_OK) {
        /* What the outcomes put in a scenario, parley must write and read back. */
        char *text = parley_scenario_serialize(s, "json", err);
        if (!text) abort();
        parley_scenario *again = NULL;
        if (parley_read_buffer(text, strlen(text), "roundtrip", NULL, &again, err) != PARLEY_OK) {
            fprintf(stderr, "---- serialised:\n%s\n", text);
            abort();
        }
        parley_scenario_free(again);
        free(text);
        parley_plan *plan = NULL;
        parley_plan_parse(&plan, "compromise,median,mean,nash", err);
        parley_capabilities *own = parley_capabilities_own();
        parley_backtest *b = NULL;
        if (plan && own && parley_backtest_run(s, plan, own, 1, &b, err) == PARLEY_OK) {
            static const char *const formats[] = {"text", "json", "csv"};
            for (int f = 0; f < 3; f++) free(parley_backtest_report(s, b, formats[f], err));
        }
        parley_backtest_free(b);
        parley_capabilities_free(own);
        parley_plan_free(plan);
        parley_scenario_free(s);
    }
    /* Formatting every diagnostic exercises the error paths too. */
    char buf[256];
    for (size_t i = 0; i < parley_error_count(err); i++) parley_diag_format(parley_error_at(err, i), buf, sizeof buf);
    parley_error_free(err);
    return 0;
}
