/* bench.c - parley's benchmark: a seeded scenario generator and a runner that times every model.
 *
 *   parley-bench call [FILE [SPEC [N]]] times one call of SPEC on FILE (bench/python.py compares Python's)
 *   parley-bench generate N K [SEED]   writes a random scenario of N actors x K issues as JSON
 *   parley-bench generate-sparse N K   writes N actors, K issues and one stance (the first actor on the
 *                                      first issue) as JSON: what a dense actors x issues layout chokes on
 *   parley-bench bdm-json [N ...]      times bdm (defaults) with its JSON output, as `parley forecast FILE
 *                                      --model bdm --format json` on `generate N 1 1` (default 200, 1000)
 *   parley-bench [run] [--issues K] [--seconds S] [--max-actors N]
 *                                      times each model from 10 actors, doubling, until one run takes
 *                                      S seconds (default 10) or N actors (default: the library limit)
 *
 * Times are wall-clock medians of repeated runs (at least 3, or as many as fit in 0.2 s). The last
 * column times reading the same scenario back from its JSON text (one run). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parley/parley.h"

/* Returns a finalized random scenario: positions uniform on [0, 100], saliences uniform on [0, 1],
 * capabilities log-uniform over two orders of magnitude, a reference point per issue; every actor takes
 * part in every issue with probability 0.9. NULL when out of memory. */
static parley_scenario *generate(size_t n, size_t k, uint64_t seed)
{
    parley_scenario *s = parley_scenario_new();
    if (!s) return NULL;
    parley_rng rng;
    parley_rng_seed(&rng, seed, 0);
    char id[32];
    for (size_t i = 0; i < k; i++) {
        snprintf(id, sizeof id, "issue%zu", i + 1);
        size_t idx;
        if (parley_scenario_add_issue(s, id, NULL, 0, 100, &idx)) goto fail;
        parley_scenario_set_issue_number(s, idx, PARLEY_ISSUE_REFERENCE, 100 * parley_rng_uniform(&rng));
    }
    for (size_t a = 0; a < n; a++) {
        snprintf(id, sizeof id, "actor%zu", a + 1);
        size_t idx;
        if (parley_scenario_add_actor(s, id, NULL, pow(10, 2 * parley_rng_uniform(&rng)), &idx)) goto fail;
        for (size_t i = 0; i < k; i++) {
            if (parley_rng_uniform(&rng) >= 0.9 && !(a == 0)) continue;
            if (parley_scenario_set_stance(s, idx, i, 100 * parley_rng_uniform(&rng), parley_rng_uniform(&rng), NAN))
                goto fail;
        }
    }
    if (parley_scenario_finalize(s, NULL) == PARLEY_OK) return s;
fail:
    parley_scenario_free(s);
    return NULL;
}

/* Returns a finalized scenario of n actors and k issues in which only the first actor takes a stance, on
 * the first issue (the other issues have no one: validate warns about each). NULL when out of memory. */
static parley_scenario *generate_sparse(size_t n, size_t k)
{
    parley_scenario *s = parley_scenario_new();
    if (!s) return NULL;
    char id[32];
    for (size_t i = 0; i < k; i++) {
        snprintf(id, sizeof id, "issue%zu", i + 1);
        if (parley_scenario_add_issue(s, id, NULL, 0, 100, NULL)) goto fail;
    }
    for (size_t a = 0; a < n; a++) {
        snprintf(id, sizeof id, "actor%zu", a + 1);
        if (parley_scenario_add_actor(s, id, NULL, 1, NULL)) goto fail;
    }
    if (parley_scenario_set_stance(s, 0, 0, 50, 0.5, NAN)) goto fail;
    if (parley_scenario_finalize(s, NULL) == PARLEY_OK) return s;
fail:
    parley_scenario_free(s);
    return NULL;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Returns the median seconds of one run of plan on s. */
static double time_run(const parley_scenario *s, const parley_plan *plan)
{
    double t[64];
    int n = 0;
    double start = now();
    do {
        double t0 = now();
        parley_result *r = parley_run_flags(s, plan, 1, PARLEY_RUN_SUMMARY, NULL);
        t[n++] = now() - t0;
        parley_result_free(r);
    } while (n < 64 && (n < 3 || now() - start < 0.2) && t[n - 1] < 2);
    qsort(t, (size_t)n, sizeof *t, cmp);
    return t[n / 2];
}

static void fmt_time(char *buf, size_t size, double s)
{
    if (s < 1e-3) snprintf(buf, size, "%.1f us", s * 1e6);
    else if (s < 1) snprintf(buf, size, "%.2f ms", s * 1e3);
    else snprintf(buf, size, "%.2f s", s);
}

static int run(size_t k, double budget, size_t max_n)
{
    size_t nm = parley_model_count();
    printf("parley %s benchmark: one run of each model, %zu issues, median wall-clock time\n\n", parley_version(), k);
    printf("%10s", "actors");
    for (size_t m = 0; m < nm; m++) printf(" %12s", parley_model_name(parley_model_at(m)));
    printf(" %12s\n", "read JSON");
    bool done[64] = {false};
    size_t n = 10;
    for (;;) {
        parley_scenario *s = generate(n, k, 42);
        if (!s) {
            fprintf(stderr, "cannot build a scenario of %zu actors\n", n);
            return 1;
        }
        printf("%10zu", n);
        bool any = false;
        char buf[32];
        for (size_t m = 0; m < nm; m++) {
            if (done[m]) {
                printf(" %12s", "-");
                continue;
            }
            parley_plan *plan = NULL;
            parley_plan_parse(&plan, parley_model_name(parley_model_at(m)), NULL);
            double t = time_run(s, plan);
            parley_plan_free(plan);
            fmt_time(buf, sizeof buf, t);
            printf(" %12s", buf);
            if (t >= budget) done[m] = true;
            else any = true;
        }
        char *json = parley_scenario_serialize(s, "json", NULL);
        double t0 = now();
        parley_scenario *back = NULL;
        parley_error *err = parley_error_new();
        parley_status st = parley_read_buffer(json, strlen(json), "bench.json", NULL, &back, err);
        fmt_time(buf, sizeof buf, now() - t0);
        if (st != PARLEY_OK) snprintf(buf, sizeof buf, "%s", st == PARLEY_E_LIMIT ? "over limit" : "failed");
        printf(" %12s\n", buf);
        fflush(stdout);
        parley_error_free(err);
        parley_scenario_free(back);
        free(json);
        parley_scenario_free(s);
        if (!any) break;
        if (n >= max_n) {
            printf("\nstopped at %zu actors (the limit); no model reached %.0f s\n", n, budget);
            break;
        }
        n = n * 2 > max_n ? max_n : n * 2;
    }
    return 0;
}

/* The expected-utility model's table: 10 rounds (fixed) at the sizes its issue names, both presets.
 * A size whose previous size took over `budget` seconds is skipped (the Scholz form grows as n^3). */
static int run_bdm(double budget)
{
    static const size_t sizes[] = {10, 50, 200, 1000, 5000};
    static const char *const specs[] = {"bdm:paper,stop=fixed,rounds=10", "bdm:scholz2011,rounds=10"};
    printf("parley %s benchmark: bdm, one issue, 10 rounds, median wall-clock time of one run\n\n", parley_version());
    printf("%10s %16s %16s\n", "actors", "bdm:paper", "bdm:scholz2011");
    double last[2] = {0, 0};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        parley_scenario *s = generate(sizes[i], 1, 42);
        if (!s) return 1;
        printf("%10zu", sizes[i]);
        for (int p = 0; p < 2; p++) {
            char buf[32] = "skipped";
            /* n^3 growth: estimate before running a size that would take far longer than the budget */
            double ratio = i ? (double)sizes[i] / (double)sizes[i - 1] : 1;
            double estimate = last[p] * ratio * ratio * (p ? ratio : 1.2);
            if (last[p] >= 0 && estimate < budget * 30) {
                parley_plan *plan = NULL;
                parley_plan_parse(&plan, specs[p], NULL);
                last[p] = time_run(s, plan);
                parley_plan_free(plan);
                fmt_time(buf, sizeof buf, last[p]);
            } else {
                snprintf(buf, sizeof buf, "~%.0f s (est.)", estimate);
                last[p] = -1;
            }
            printf(" %16s", buf);
            fflush(stdout);
        }
        printf("\n");
        parley_scenario_free(s);
    }
    return 0;
}

/* The exchange model's table: 10 rounds at the sizes its issue names, in the default numerics=exact (the
 * reference's every choice), in plain double and, at the smaller sizes, in the reference's decimal
 * arithmetic throughout (numerics=decimal). Targets: exact 100 x 5 under 0.19 s, 500 x 10 under 5 s. */
static int run_exchange(void)
{
    static const size_t sizes[][2] = {{10, 3}, {50, 5}, {100, 5}, {200, 8}, {500, 10}};
    static const char *const specs[] = {"exchange,rounds=10", "exchange,rounds=10,numerics=double",
                                        "exchange,rounds=10,numerics=decimal"};
    printf("parley %s benchmark: exchange, 10 rounds, median wall-clock time of one run\n\n", parley_version());
    printf("%10s %8s %14s %14s %14s\n", "actors", "issues", "exact", "double", "decimal");
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        parley_scenario *s = generate(sizes[i][0], sizes[i][1], 42);
        if (!s) return 1;
        char buf[3][32] = {"-", "-", "-"};
        for (int d = 0; d < 3; d++) {
            if (d == 2 && sizes[i][0] > 50) continue;
            parley_plan *plan = NULL;
            parley_plan_parse(&plan, specs[d], NULL);
            fmt_time(buf[d], sizeof buf[d], time_run(s, plan));
            parley_plan_free(plan);
        }
        printf("%10zu %8zu %14s %14s %14s\n", sizes[i][0], sizes[i][1], buf[0], buf[1], buf[2]);
        fflush(stdout);
        parley_scenario_free(s);
    }
    return 0;
}

/* The spatial model's table: full runs (KTAB's stopping rule) on three dimensions, as the SMP issue asks;
 * KTAB's smpc took 0.08 s, 19 s and 750 s for 7, 50 and 100 actors. */
static int run_smp(void)
{
    static const size_t sizes[] = {7, 50, 100, 250};
    printf("parley %s benchmark: smp, 3 dimensions, full run, median wall-clock time\n\n", parley_version());
    printf("%10s %8s %14s\n", "actors", "issues", "smp");
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        parley_scenario *s = generate(sizes[i], 3, 42);
        if (!s) return 1;
        parley_plan *plan = NULL;
        parley_plan_parse(&plan, "smp", NULL);
        char buf[32];
        fmt_time(buf, sizeof buf, time_run(s, plan));
        printf("%10zu %8d %14s\n", sizes[i], 3, buf);
        fflush(stdout);
        parley_plan_free(plan);
        parley_scenario_free(s);
    }
    return 0;
}

/* The spatial model at scale (issue 15: 100 x 3 under 0.75 s, 1,000 x 3 under 60 s): one full run per
 * size, with every detail recorded (the turns' positions, win probabilities and challenges, as
 * `parley forecast --format json` records them), and the growth exponent from the size before. */
static int run_smp_scale(size_t max_n)
{
    static const size_t sizes[] = {100, 250, 500, 1000};
    printf("parley %s benchmark: smp at scale, 3 dimensions, one full run with details, wall-clock time\n\n",
           parley_version());
    printf("%10s %8s %14s %10s\n", "actors", "issues", "smp", "growth");
    double prev_t = 0;
    size_t prev_n = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes && sizes[i] <= max_n; i++) {
        parley_scenario *s = generate(sizes[i], 3, 42);
        if (!s) return 1;
        parley_plan *plan = NULL;
        parley_plan_parse(&plan, "smp", NULL);
        double t0 = now();
        parley_result *r = parley_run_flags(s, plan, 1, 0, NULL);
        double t = now() - t0;
        parley_result_free(r);
        char buf[32], growth[32] = "-";
        fmt_time(buf, sizeof buf, t);
        if (prev_n) snprintf(growth, sizeof growth, "n^%.2f", log(t / prev_t) / log((double)sizes[i] / (double)prev_n));
        printf("%10zu %8d %14s %10s\n", sizes[i], 3, buf, growth);
        fflush(stdout);
        prev_t = t, prev_n = sizes[i];
        parley_plan_free(plan);
        parley_scenario_free(s);
    }
    return 0;
}

/* The Monte Carlo table: 10,000 draws of the flagship (its ranges) through each model set, on 1 and 2
 * threads; the speed-up is the ratio. */
static int run_montecarlo(const char *path, size_t draws)
{
    static const char *const sets[] = {"compromise,median,mean,nash,bdm,stop=fixed,rounds=10", "exchange", "smp"};
    parley_scenario *s = NULL;
    if (parley_read_file(path, NULL, &s, NULL) != PARLEY_OK) {
        fprintf(stderr, "parley-bench: cannot read %s\n", path);
        return 1;
    }
    printf("parley %s benchmark: montecarlo, %zu draws of %s, wall-clock time\n\n", parley_version(), draws, path);
    printf("%-55s %10s %10s %9s\n", "models", "1 thread", "2 threads", "speed-up");
    for (size_t i = 0; i < sizeof sets / sizeof *sets; i++) {
        parley_plan *plan = NULL;
        parley_plan_parse(&plan, sets[i], NULL);
        double t[2];
        for (int k = 0; k < 2; k++) {
            double t0 = now();
            parley_mc *mc = parley_mc_new(s, plan, draws, 1, NULL);
            parley_mc_options o = {(size_t)k + 1, NULL, NULL, NULL};
            if (mc) parley_mc_run(mc, 0, 1, &o, NULL);
            t[k] = now() - t0;
            parley_mc_free(mc);
        }
        char a[32], b[32];
        fmt_time(a, sizeof a, t[0]), fmt_time(b, sizeof b, t[1]);
        printf("%-55s %10s %10s %8.2fx\n", sets[i], a, b, t[0] / t[1]);
        fflush(stdout);
        parley_plan_free(plan);
    }
    parley_scenario_free(s);
    return 0;
}

/* The cost of one call: N runs of SPEC on FILE as a program makes them (parley_run_with, every record kept,
 * the result freed), in 5 batches; prints the median batch's time per call. bench/python.py times the same
 * call from Python against this. */
static int run_call(const char *path, const char *spec, size_t n)
{
    parley_scenario *s = NULL;
    parley_plan *plan = NULL;
    if (parley_read_file(path, NULL, &s, NULL) != PARLEY_OK || parley_plan_parse(&plan, spec, NULL) != PARLEY_OK || !n) {
        fprintf(stderr, "parley-bench: cannot read %s or parse %s\n", path, spec);
        parley_scenario_free(s);
        return 1;
    }
    double t[5];
    for (int b = 0; b < 5; b++) {
        double t0 = now();
        for (size_t i = 0; i < n; i++) {
            parley_result *r = NULL;
            parley_run_options o = {0, 0, NULL};
            parley_run_with(s, plan, 1, &o, &r, NULL);
            parley_result_free(r);
        }
        t[b] = (now() - t0) / (double)n;
    }
    qsort(t, 5, sizeof *t, cmp);
    printf("%.3f us per call (median of 5 batches of %zu): %s on %s\n", t[2] * 1e6, n, spec, path);
    parley_plan_free(plan);
    parley_scenario_free(s);
    return 0;
}

/* The bounded-detail table: bdm with its defaults on `generate N 1 1`, run and written as JSON the way
 * `parley forecast --format json` does (the default, bounded pressure map), and the same at --detail full
 * where its JSON stays small enough to time. Median of repeated runs; the bytes of the JSON. */
static int run_bdm_json(int argc, char **argv)
{
    size_t sizes[16] = {200, 1000}, n_sizes = 2;
    if (argc > 2) n_sizes = 0;
    for (int i = 2; i < argc && n_sizes < 16; i++) sizes[n_sizes++] = strtoul(argv[i], NULL, 10);
    printf("parley %s benchmark: bdm (defaults) on generate N 1 1, run + JSON, median wall-clock time\n\n", parley_version());
    printf("%8s %12s %12s %12s %14s\n", "actors", "normal", "JSON bytes", "full", "full JSON");
    parley_plan *plan = NULL;
    if (parley_plan_parse(&plan, "bdm", NULL) != PARLEY_OK) return 1;
    for (size_t i = 0; i < n_sizes; i++) {
        parley_scenario *s = generate(sizes[i], 1, 1);
        if (!s) return 1;
        printf("%8zu", sizes[i]);
        for (int full = 0; full < 2; full++) {
            if (full && sizes[i] > 300) {
                printf(" %12s %14s", "skipped", "(n^2 x rounds)");
                break;
            }
            double t[64];
            size_t bytes = 0;
            int n = 0;
            double start = now();
            do {
                double t0 = now();
                parley_result *r = NULL;
                parley_run_options o = {full ? PARLEY_RUN_FULL_DETAIL : 0u, 0, NULL};
                parley_run_with(s, plan, 1, &o, &r, NULL);
                char *json = r ? parley_report(s, r, "json", NULL) : NULL;
                t[n++] = now() - t0;
                bytes = json ? strlen(json) : 0;
                free(json);
                parley_result_free(r);
            } while (n < 64 && (n < 3 || now() - start < 0.5) && t[n - 1] < 2);
            qsort(t, (size_t)n, sizeof *t, cmp);
            char buf[32];
            fmt_time(buf, sizeof buf, t[n / 2]);
            printf(full ? " %12s %14zu" : " %12s %12zu", buf, bytes);
        }
        printf("\n");
        parley_scenario_free(s);
    }
    parley_plan_free(plan);
    return 0;
}

/* Times whole SAOP negotiations (and, for comparison, the other protocol SPECs) on a GENIUS negotiation:
 * the domain file, then one profile per party. Each time is one complete run with its full trace, from
 * the scenario in memory: enumerating and weighing the outcomes, presorting them per party, every step. */
static int run_protocols(int argc, char **argv)
{
    parley_scenario *s = NULL;
    parley_error *err = parley_error_new();
    if (argc < 2 || parley_read_files((const char *const *)argv, (size_t)argc, NULL, 0, &s, err) != PARLEY_OK) {
        fprintf(stderr, "usage: parley-bench saop DOMAIN.xml PROFILE.xml...\n");
        parley_error_free(err);
        return 2;
    }
    parley_error_free(err);
    static const char *const specs[] = {"saop:negmas", "saop:genius", "saop:negmas,strategies=conceder",
                                        "saop:genius,strategies=conceder"};
    printf("parley %s benchmark: whole SAOP negotiations (20 steps) on %s, median of one run\n\n", parley_version(),
           argv[0]);
    printf("%-36s %10s %10s\n", "spec", "wall", "CPU");
    for (size_t i = 0; i < sizeof specs / sizeof *specs; i++) {
        parley_plan *plan = NULL;
        if (parley_plan_parse(&plan, specs[i], NULL) != PARLEY_OK) continue;
        /* CPU time besides wall time: on a shared machine the wall clock measures the neighbours too. */
        double t[64], c[64];
        int n = 0;
        double start = now();
        do {
            struct timespec c0, c1;
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
            double t0 = now();
            parley_result *r = parley_run(s, plan, 1, NULL);
            t[n] = now() - t0;
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
            c[n++] = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) * 1e-9;
            parley_result_free(r);
        } while (n < 64 && (n < 5 || now() - start < 0.5));
        qsort(t, (size_t)n, sizeof *t, cmp);
        qsort(c, (size_t)n, sizeof *c, cmp);
        char buf[32], cbuf[32];
        fmt_time(buf, sizeof buf, t[n / 2]);
        fmt_time(cbuf, sizeof cbuf, c[n / 2]);
        printf("%-36s %10s %10s\n", specs[i], buf, cbuf);
        parley_plan_free(plan);
    }
    parley_scenario_free(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "bdm-json")) return run_bdm_json(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "saop")) return run_protocols(argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "bdm")) return run_bdm(argc > 2 ? strtod(argv[2], NULL) : 10);
    if (argc >= 2 && !strcmp(argv[1], "exchange")) return run_exchange();
    if (argc >= 2 && !strcmp(argv[1], "smp")) return run_smp();
    if (argc >= 2 && !strcmp(argv[1], "smp-scale")) return run_smp_scale(argc >= 3 ? strtoul(argv[2], NULL, 10) : 1000);
    if (argc >= 2 && !strcmp(argv[1], "call"))
        return run_call(argc >= 3 ? argv[2] : "examples/jeddah-2025.json", argc >= 4 ? argv[3] : "compromise,median,mean,nash",
                        argc >= 5 ? strtoul(argv[4], NULL, 10) : 10000);
    if (argc >= 2 && !strcmp(argv[1], "montecarlo"))
        return run_montecarlo(argc >= 3 ? argv[2] : "examples/jeddah-2025.json", argc >= 4 ? strtoul(argv[3], NULL, 10) : 10000);
    if (argc >= 2 && (!strcmp(argv[1], "generate") || !strcmp(argv[1], "generate-sparse"))) {
        bool sparse = !strcmp(argv[1], "generate-sparse");
        if (argc < 4) {
            fprintf(stderr, "usage: parley-bench generate N K [SEED]\n       parley-bench generate-sparse N K\n");
            return 2;
        }
        size_t n = strtoul(argv[2], NULL, 10), k = strtoul(argv[3], NULL, 10);
        uint64_t seed = argc > 4 ? strtoull(argv[4], NULL, 10) : 42;
        parley_scenario *s = !(n && k) ? NULL : sparse ? generate_sparse(n, k) : generate(n, k, seed);
        if (!s) {
            fprintf(stderr, "parley-bench: N and K must be at least 1 and within the documented limits\n");
            return 2;
        }
        char *json = parley_scenario_serialize(s, "json", NULL);
        fputs(json, stdout);
        free(json);
        parley_scenario_free(s);
        return 0;
    }
    size_t k = 5, max_n = PARLEY_MAX_ACTORS;
    double budget = 10;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "run")) continue;
        if (!strcmp(argv[i], "--issues") && i + 1 < argc) k = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) budget = strtod(argv[++i], NULL);
        else if (!strcmp(argv[i], "--max-actors") && i + 1 < argc) max_n = strtoul(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: parley-bench [run] [--issues K] [--seconds S] [--max-actors N]\n"
                            "       parley-bench bdm | exchange | smp | smp-scale [MAX] | montecarlo [FILE [DRAWS]] | call [FILE [SPEC [N]]]\n"
                            "       parley-bench generate N K [SEED]\n"
                            "       parley-bench generate-sparse N K\n");
            return 2;
        }
    }
    if (k == 0 || max_n < 10 || max_n > PARLEY_MAX_ACTORS) {
        fprintf(stderr, "parley-bench: --issues must be >= 1 and --max-actors from 10 to %u\n", PARLEY_MAX_ACTORS);
        return 2;
    }
    return run(k, budget, max_n);
}
