/* fuzz_genius.c - libFuzzer harness for the GENIUS XML reader (parley_read_genius_buffers). The input is
 * the domain's text and the profiles' texts, separated by lines of "----". Whatever the bytes, reading must
 * not crash; whatever reads must serialise, read back, give every actor a utility in [0, 1] of a few
 * outcomes, and run the models that suit it. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/parley.h"

#define MAX_PARTS 8

static void check(const parley_scenario *s)
{
    parley_error *err = parley_error_new();
    char *text = parley_scenario_serialize(s, "json", err);
    if (text) {
        parley_scenario *again = NULL;
        parley_read_options o = {"json", "fraction"};
        if (parley_read_buffer(text, strlen(text), "roundtrip", &o, &again, err) != PARLEY_OK) {
            char buf[512];
            for (size_t i = 0; i < parley_error_count(err); i++) {
                parley_diag_format(parley_error_at(err, i), buf, sizeof buf);
                fprintf(stderr, "%s\n", buf);
            }
            fprintf(stderr, "---- serialised as json:\n%s\n", text);
            abort();
        }
        parley_scenario_free(again);
        free(text);
    }
    /* Every issue at its first, last and middle value. */
    size_t ni = parley_scenario_issue_count(s);
    double *x = malloc((ni ? ni : 1) * sizeof *x);
    for (int pick = 0; x && pick < 3; pick++) {
        for (size_t k = 0; k < ni; k++) {
            size_t n = parley_issue_option_count(s, k);
            double lo = parley_issue_number(s, k, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, k, PARLEY_ISSUE_HIGH);
            x[k] = n ? (double)(pick == 0 ? 0 : pick == 1 ? n - 1 : n / 2) : pick == 0 ? lo : pick == 1 ? hi : lo / 2 + hi / 2;
        }
        for (size_t a = 0; a < parley_scenario_actor_count(s); a++) {
            double u = parley_utility(s, a, x, PARLEY_UTILITY_LINEAR), r = parley_reservation(s, a, PARLEY_UTILITY_LINEAR);
            /* Weights as written may sum to a little over 1 (ANAC files do); never far past it per issue. */
            if (!(u >= 0 && u <= (double)ni + 1e-9) || !(r >= 0 && r <= 1)) {
                fprintf(stderr, "actor %zu: utility %g, reservation %g\n", a, u, r);
                abort();
            }
        }
    }
    free(x);
    parley_plan *plan = parley_plan_default(s);
    parley_result *res = plan && parley_plan_count(plan) ? parley_run(s, plan, 1, err) : NULL;
    parley_result_free(res);
    parley_plan_free(plan);
    parley_error_free(err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data, *end = text + size;
    const char *parts[MAX_PARTS];
    size_t lens[MAX_PARTS], n = 0;
    const char *start = text;
    for (const char *p = text; p < end && n < MAX_PARTS - 1; p++) {
        if (*p == '\n' && end - p >= 6 && !memcmp(p, "\n----\n", 6)) {
            parts[n] = start, lens[n] = (size_t)(p - start), n++;
            start = p + 6;
            p += 5;
        }
    }
    parts[n] = start, lens[n] = (size_t)(end - start), n++;
    static const char *const names[MAX_PARTS] = {"d.xml", "p1.xml", "p2.xml", "p3.xml", "p4.xml", "p5.xml", "p6.xml", "p7.xml"};
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    if (parley_read_genius_buffers(parts[0], lens[0], names[0], parts + 1, lens + 1, names + 1, n - 1, 5, &s, err) == PARLEY_OK) {
        check(s);
        parley_scenario_free(s);
    }
    char buf[256];
    for (size_t i = 0; i < parley_error_count(err); i++) parley_diag_format(parley_error_at(err, i), buf, sizeof buf);
    parley_error_free(err);
    return 0;
}
