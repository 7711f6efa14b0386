/* analyze.c - times parley_analyze (the outcome space, Pareto frontier and points) on GENIUS domains and
 * on generated 3-party spaces of up to 10 million outcomes (bench/README.md). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parley/parley.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); /* CPU time: the machine is shared, wall time says how busy it is */
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of `reps` analyses of s (all parties, the frontier listed), in seconds. */
static double time_analyze(const parley_scenario *s, int reps, size_t *front)
{
    double t[64];
    if (reps > 64) reps = 64;
    for (int r = 0; r < reps; r++) {
        parley_error *err = parley_error_new();
        parley_analyze_options o = {0};
        o.frontier = PARLEY_FRONTIER_ALWAYS;
        parley_analysis *a = NULL;
        double t0 = now();
        if (parley_analyze(s, &o, &a, err) != PARLEY_OK) {
            fprintf(stderr, "analyze failed\n");
            exit(1);
        }
        t[r] = now() - t0;
        *front = parley_analysis_frontier_count(a);
        parley_analysis_free(a);
        parley_error_free(err);
    }
    qsort(t, (size_t)reps, sizeof *t, cmp);
    return t[reps / 2];
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static double uniform(void)
{
    rng_state ^= rng_state << 13, rng_state ^= rng_state >> 7, rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) * 0x1p-53;
}

/* A GENIUS negotiation of `issues` discrete issues of `values` values each and `parties` random profiles. */
static parley_scenario *generate(size_t issues, size_t values, size_t parties)
{
    size_t cap = 1 << 20;
    char *dom = malloc(cap), *prof[8];
    size_t len = 0, lens[8];
    len += (size_t)snprintf(dom + len, cap - len, "<negotiation_template><utility_space><objective index=\"0\" name=\"gen\">\n");
    for (size_t k = 0; k < issues; k++) {
        len += (size_t)snprintf(dom + len, cap - len, "<issue index=\"%zu\" name=\"i%zu\" type=\"discrete\">", k + 1, k);
        for (size_t v = 0; v < values; v++) len += (size_t)snprintf(dom + len, cap - len, "<item index=\"%zu\" value=\"v%zu\"/>", v + 1, v);
        len += (size_t)snprintf(dom + len, cap - len, "</issue>\n");
    }
    len += (size_t)snprintf(dom + len, cap - len, "</objective></utility_space></negotiation_template>\n");
    const char *names[8] = {"p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"};
    for (size_t p = 0; p < parties; p++) {
        prof[p] = malloc(cap);
        size_t l = 0;
        l += (size_t)snprintf(prof[p] + l, cap - l, "<utility_space><objective index=\"0\" name=\"gen\">\n");
        double w[64], sum = 0;
        for (size_t k = 0; k < issues; k++) sum += w[k] = uniform() + 0.05;
        for (size_t k = 0; k < issues; k++) {
            l += (size_t)snprintf(prof[p] + l, cap - l, "<issue index=\"%zu\" name=\"i%zu\" type=\"discrete\">", k + 1, k);
            for (size_t v = 0; v < values; v++)
                l += (size_t)snprintf(prof[p] + l, cap - l, "<item index=\"%zu\" value=\"v%zu\" evaluation=\"%.6f\"/>", v + 1, v, uniform());
            l += (size_t)snprintf(prof[p] + l, cap - l, "</issue>\n");
        }
        for (size_t k = 0; k < issues; k++) l += (size_t)snprintf(prof[p] + l, cap - l, "<weight index=\"%zu\" value=\"%.6f\"/>\n", k + 1, w[k] / sum);
        l += (size_t)snprintf(prof[p] + l, cap - l, "</objective></utility_space>\n");
        lens[p] = l;
    }
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    if (parley_read_genius_buffers(dom, len, "gen.xml", (const char *const *)prof, lens, names, parties, 0, &s, err) != PARLEY_OK) {
        fprintf(stderr, "generate failed\n");
        exit(1);
    }
    parley_error_free(err);
    free(dom);
    for (size_t p = 0; p < parties; p++) free(prof[p]);
    return s;
}

int main(int argc, char **argv)
{
    const char *ref = argc > 1 ? argv[1] : "../shared/reference/negotiation/domains";
    printf("| space | outcomes | parties | frontier | parley_analyze (median) |\n|---|---|---|---|---|\n");
    const char *domains[] = {"politics", "car", "travel"};
    for (size_t d = 0; d < 3; d++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", ref, domains[d]);
        const char *paths[1] = {path};
        parley_error *err = parley_error_new();
        parley_scenario *s = NULL;
        if (parley_read_files(paths, 1, NULL, 0, &s, err) != PARLEY_OK) {
            fprintf(stderr, "cannot read %s (pass the folder of the reference domains)\n", path);
            parley_error_free(err);
            continue;
        }
        size_t f = 0;
        double t = time_analyze(s, 21, &f);
        parley_analysis *a = NULL;
        parley_analyze(s, NULL, &a, err);
        printf("| %s | %zu | %zu | %zu | %.2f ms |\n", domains[d], parley_analysis_outcome_count(a), parley_scenario_actor_count(s), f, t * 1e3);
        parley_analysis_free(a);
        parley_scenario_free(s);
        parley_error_free(err);
    }
    static const size_t gen[][3] = {{5, 10, 3}, {6, 10, 3}, {7, 10, 3}, {6, 10, 4}};
    for (size_t g = 0; g < sizeof gen / sizeof *gen; g++) {
        parley_scenario *s = generate(gen[g][0], gen[g][1], gen[g][2]);
        size_t f = 0, n = 1;
        for (size_t k = 0; k < gen[g][0]; k++) n *= gen[g][1];
        double t = time_analyze(s, n >= 10000000 ? 3 : 5, &f);
        printf("| generated %zu x %zu values | %zu | %zu | %zu | %.0f ms |\n", gen[g][0], gen[g][1], n, gen[g][2], f, t * 1e3);
        parley_scenario_free(s);
    }
    /* The frontier's worst case: two scale issues between three actors' positions, where almost every
     * outcome is undominated, so working issue by issue saves nothing. */
    static const char worst[] =
        "{\"schema_version\": 1, \"issues\": [{\"id\": \"x\", \"low\": 0, \"high\": 100}, {\"id\": \"y\", \"low\": 0, \"high\": 100}],"
        " \"actors\": [{\"id\": \"a\", \"capability\": 1}, {\"id\": \"b\", \"capability\": 1}, {\"id\": \"c\", \"capability\": 1}],"
        " \"stances\": [{\"actor\": \"a\", \"issue\": \"x\", \"position\": 0, \"salience\": 1},"
        " {\"actor\": \"b\", \"issue\": \"x\", \"position\": 100, \"salience\": 0.5},"
        " {\"actor\": \"c\", \"issue\": \"x\", \"position\": 50, \"salience\": 0.3},"
        " {\"actor\": \"a\", \"issue\": \"y\", \"position\": 100, \"salience\": 0.4},"
        " {\"actor\": \"b\", \"issue\": \"y\", \"position\": 30, \"salience\": 0.9},"
        " {\"actor\": \"c\", \"issue\": \"y\", \"position\": 0, \"salience\": 0.8}]}";
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    if (parley_read_buffer(worst, strlen(worst), NULL, NULL, &s, err) == PARLEY_OK) {
        parley_analyze_options o = {0};
        o.grid = 3162;
        o.frontier = PARLEY_FRONTIER_ALWAYS;
        parley_analysis *a = NULL;
        double t0 = now();
        if (parley_analyze(s, &o, &a, err) == PARLEY_OK)
            printf("| 2 scale issues x 3162 points (worst case) | %zu | 3 | %zu | %.0f ms |\n", parley_analysis_outcome_count(a),
                   parley_analysis_frontier_count(a), (now() - t0) * 1e3);
        parley_analysis_free(a);
    }
    parley_scenario_free(s);
    parley_error_free(err);
    return 0;
}
