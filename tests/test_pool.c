/* test_pool.c - the one thread pool: every task once, nested calls inline, a forked child's own pool,
 * results bit-identical for any thread count, cancelling a run, and the merge of every kind of record. */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/pool.h"
#include "helpers.h"
#include "models/model.h"

/* ---- the pool ---- */

typedef struct counts {
    unsigned *hits;   /* per task, incremented atomically */
    unsigned bad_worker;
    size_t workers;
} counts;

static void count_task(void *ctx, size_t task, size_t worker)
{
    counts *c = ctx;
    __atomic_fetch_add(&c->hits[task], 1, __ATOMIC_RELAXED);
    if (worker >= c->workers) __atomic_fetch_add(&c->bad_worker, 1, __ATOMIC_RELAXED);
}

/* Runs n tasks capped at cap; returns how many tasks did not run exactly once (or saw a bad worker). */
static size_t run_counted(size_t n, size_t cap)
{
    counts c = {calloc(n, sizeof(unsigned)), 0, pool_workers(n, cap)};
    assert_non_null(c.hits);
    pool_run(n, cap, count_task, &c);
    size_t wrong = c.bad_worker;
    for (size_t t = 0; t < n; t++) wrong += c.hits[t] != 1;
    free(c.hits);
    return wrong;
}

/* The first parallel call of the process sizes the pool: seven threads, so that later calls may ask up
 * to seven. */
static int start_pool(void **state)
{
    (void)state;
    return run_counted(7, 7) == 0 && pool_size() >= 7 ? 0 : -1;
}

static void the_pool_runs_every_task_exactly_once(void **state)
{
    (void)state;
    size_t sizes[] = {1, 2, 3, 7, 100, 10000};
    size_t caps[] = {0, 1, 2, 7, 64};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        for (size_t k = 0; k < sizeof caps / sizeof *caps; k++) assert_int_equal(run_counted(sizes[i], caps[k]), 0);
    pool_run(0, 7, count_task, NULL); /* no task: nothing is called */
}

static void a_call_uses_at_most_the_workers_it_asks_for(void **state)
{
    (void)state;
    assert_int_equal(pool_workers(100, 1), 1);
    assert_int_equal(pool_workers(100, 3), 3);
    assert_int_equal(pool_workers(2, 7), 2);
    assert_true(pool_workers(1000, 64) <= pool_size());
}

typedef struct nest {
    unsigned outer_hits[16];
    unsigned inner_hits[16][50];
    unsigned inner_not_inline;
} nest;

typedef struct inner_ctx {
    nest *n;
    size_t outer;
} inner_ctx;

static void inner_task(void *ctx, size_t task, size_t worker)
{
    inner_ctx *c = ctx;
    __atomic_fetch_add(&c->n->inner_hits[c->outer][task], 1, __ATOMIC_RELAXED);
    if (worker != 0 || !pool_in_task()) __atomic_fetch_add(&c->n->inner_not_inline, 1, __ATOMIC_RELAXED);
}

static void outer_task(void *ctx, size_t task, size_t worker)
{
    nest *n = ctx;
    (void)worker;
    __atomic_fetch_add(&n->outer_hits[task], 1, __ATOMIC_RELAXED);
    if (pool_workers(50, 7) != 1) __atomic_fetch_add(&n->inner_not_inline, 1, __ATOMIC_RELAXED);
    inner_ctx c = {n, task};
    pool_run(50, 7, inner_task, &c); /* would deadlock if it waited for the pool its caller holds */
}

static void a_nested_parallel_call_runs_inline_without_deadlock(void **state)
{
    (void)state;
    nest *n = calloc(1, sizeof *n);
    assert_non_null(n);
    pool_run(16, 7, outer_task, n);
    assert_int_equal(n->inner_not_inline, 0);
    for (size_t o = 0; o < 16; o++) {
        assert_int_equal(n->outer_hits[o], 1);
        for (size_t t = 0; t < 50; t++) assert_int_equal(n->inner_hits[o][t], 1);
    }
    free(n);
    assert_false(pool_in_task());
}

/* ---- the models on the pool ---- */

static char *json_of(const parley_scenario *s, const char *spec, size_t threads)
{
    parley_error *err = parley_error_new();
    parley_plan *p = NULL;
    assert_int_equal(parley_plan_parse(&p, spec, err), PARLEY_OK);
    parley_run_options o = {0, threads, NULL};
    parley_result *r = NULL;
    assert_int_equal(parley_run_with(s, p, 7, &o, &r, err), PARLEY_OK);
    assert_non_null(r);
    char *json = parley_report(s, r, "json", err);
    assert_non_null(json);
    parley_result_free(r);
    parley_plan_free(p);
    parley_error_free(err);
    return json;
}

static parley_scenario *jeddah(void)
{
    return read_data("../../examples/jeddah-2025.json");
}

static void every_model_gives_the_same_json_bytes_on_one_two_and_seven_threads(void **state)
{
    (void)state;
    parley_scenario *s = jeddah();
    assert_true(parley_scenario_issue_count(s) > 1);
    size_t ran = 0;
    for (size_t i = 0; i < parley_model_count(); i++) {
        const parley_model *m = parley_model_at(i);
        if (!parley_model_suits(m, s)) continue;
        char *one = json_of(s, parley_model_name(m), 1);
        size_t threads[] = {2, 7};
        for (size_t t = 0; t < 2; t++) {
            char *other = json_of(s, parley_model_name(m), threads[t]);
            if (strcmp(one, other)) fail_msg("%s: JSON differs on %zu threads", parley_model_name(m), threads[t]);
            free(other);
        }
        free(one);
        ran++;
    }
    assert_true(ran >= 5);
    parley_scenario_free(s);
}

static void a_forked_child_runs_parallel_work_on_its_own_pool(void **state)
{
    (void)state;
    assert_true(pool_size() > 0); /* the parent's pool has started: the child inherits none of its threads */
    parley_scenario *s = jeddah();
    char *want = json_of(s, "bdm,smp", 2);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int rc = pool_size() == 0 ? 0 : 10;          /* no threads until the first parallel call */
        if (run_counted(1000, 2) != 0) rc = 11;      /* would hang if the child waited for the parent's threads */
        if (pool_size() == 0) rc = 12;               /* the child started threads of its own */
        char *got = json_of(s, "bdm,smp", 2);
        if (strcmp(got, want)) rc = 13;
        free(got);
        _exit(rc);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    free(want);
    parley_scenario_free(s);
}

typedef struct side_run {
    const parley_scenario *s;
    char *json;
} side_run;

static void *side_thread(void *arg)
{
    side_run *r = arg;
    r->json = json_of(r->s, "bdm,smp,exchange", 2);
    return NULL;
}

static void runs_on_several_threads_at_once_share_the_pool_and_give_the_same_bytes(void **state)
{
    (void)state;
    parley_scenario *s = jeddah();
    char *want = json_of(s, "bdm,smp,exchange", 1);
    side_run r[3] = {{s, NULL}, {s, NULL}, {s, NULL}};
    pthread_t t[3];
    for (size_t i = 0; i < 3; i++) assert_int_equal(pthread_create(&t[i], NULL, side_thread, &r[i]), 0);
    for (size_t i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
        assert_non_null(r[i].json);
        assert_string_equal(r[i].json, want);
        free(r[i].json);
    }
    free(want);
    parley_scenario_free(s);
}

/* ---- cancelling ---- */

/* A finalized scenario of n actors and k issues with random stances (as parley-bench generate). */
static parley_scenario *generated(size_t n, size_t k)
{
    parley_scenario *s = parley_scenario_new();
    assert_non_null(s);
    parley_rng rng;
    parley_rng_seed(&rng, 42, 0);
    char id[32];
    for (size_t i = 0; i < k; i++) {
        snprintf(id, sizeof id, "issue%zu", i + 1);
        size_t idx;
        assert_int_equal(parley_scenario_add_issue(s, id, NULL, 0, 100, &idx), PARLEY_OK);
    }
    for (size_t a = 0; a < n; a++) {
        snprintf(id, sizeof id, "actor%zu", a + 1);
        size_t idx;
        assert_int_equal(parley_scenario_add_actor(s, id, NULL, 1 + 99 * parley_rng_uniform(&rng), &idx), PARLEY_OK);
        for (size_t i = 0; i < k; i++)
            assert_int_equal(parley_scenario_set_stance(s, idx, i, 100 * parley_rng_uniform(&rng), parley_rng_uniform(&rng), NAN),
                             PARLEY_OK);
    }
    assert_int_equal(parley_scenario_finalize(s, NULL), PARLEY_OK);
    return s;
}

typedef struct long_run {
    const parley_scenario *s;
    parley_plan *plan;
    volatile int cancel;
    parley_result *r;
    parley_error *err;
} long_run;

static void *run_thread(void *arg)
{
    long_run *l = arg;
    parley_run_options o = {0, 2, &l->cancel};
    parley_run_with(l->s, l->plan, 1, &o, &l->r, l->err);
    return NULL;
}

/* Runs spec on s in a thread of its own and cancels it from this one; the run must stop, say
 * PARLEY_E_CANCELLED and leave nothing behind (the suite runs under ASan's leak check). */
static void cancel_from_another_thread(const parley_scenario *s, const char *spec)
{
    long_run l = {s, NULL, 0, NULL, parley_error_new()};
    assert_int_equal(parley_plan_parse(&l.plan, spec, l.err), PARLEY_OK);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, run_thread, &l), 0);
    struct timespec pause = {0, 50000000};
    nanosleep(&pause, NULL); /* let it get going; whenever the flag lands, the run must stop */
    __atomic_store_n(&l.cancel, 1, __ATOMIC_RELAXED);
    pthread_join(t, NULL);
    assert_null(l.r);
    assert_int_equal(parley_error_status(l.err), PARLEY_E_CANCELLED);
    assert_int_equal(parley_error_errors(l.err), 1);
    assert_string_equal(parley_status_message(PARLEY_E_CANCELLED), "cancelled");
    assert_int_equal(parley_status_exit_code(PARLEY_E_CANCELLED), 130);
    parley_plan_free(l.plan);
    parley_error_free(l.err);
}

static void a_long_smp_run_cancelled_from_another_thread_stops_with_the_cancelled_status(void **state)
{
    (void)state;
    parley_scenario *s = generated(200, 4);
    cancel_from_another_thread(s, "smp,max_turns=1000,min_turns=1000");
    parley_scenario_free(s);
}

static void a_long_exchange_run_cancelled_from_another_thread_stops_with_the_cancelled_status(void **state)
{
    (void)state;
    parley_scenario *s = generated(200, 8);
    cancel_from_another_thread(s, "exchange");
    parley_scenario_free(s);
}

static void a_run_cancelled_before_it_starts_returns_no_result(void **state)
{
    (void)state;
    parley_scenario *s = jeddah();
    parley_error *err = parley_error_new();
    parley_plan *p = NULL;
    assert_int_equal(parley_plan_parse(&p, "bdm,smp,exchange,median", err), PARLEY_OK);
    volatile int cancel = 1;
    parley_run_options o = {0, 0, &cancel};
    parley_result *none = (parley_result *)&none; /* must come back NULL */
    assert_int_equal(parley_run_with(s, p, 1, &o, &none, err), PARLEY_E_CANCELLED);
    assert_null(none);
    assert_int_equal(parley_error_status(err), PARLEY_E_CANCELLED);
    /* The same call with the flag cleared runs to the end. */
    cancel = 0;
    parley_error_clear(err);
    parley_result *r = NULL;
    assert_int_equal(parley_run_with(s, p, 1, &o, &r, err), PARLEY_OK);
    assert_non_null(r);
    parley_result_free(r);
    parley_plan_free(p);
    parley_error_free(err);
    parley_scenario_free(s);
}

/* ---- the merge ---- */

/* A per-issue model that records a forecast, a trade and an externality on every issue. */
static parley_status toy_issue(const parley_scenario *s, size_t issue, const pm_options *o, parley_rng *rng,
                               pm_out *out, parley_error *err)
{
    (void)s, (void)o, (void)rng, (void)err;
    parley_exchange e = {0, 1, (int)issue, 0, issue, 10.0 + (double)issue, 20, 1, issue, 30, 40, 0.5};
    parley_status st = pm_forecast(out, issue, (double)issue, NULL);
    if (st == PARLEY_OK) st = pm_exchange(out, &e);
    if (st == PARLEY_OK) st = pm_externality(out, 1, issue, (double)issue, 0, 0);
    return st;
}

static parley_status toy_run(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out,
                             parley_error *err)
{
    (void)rng;
    return pm_for_each_issue(s, o, out, toy_issue, err);
}

static const struct parley_model toy = {.name = "toy", .summary = "records a trade on every issue", .run = toy_run};

static void the_merge_keeps_the_trades_and_externalities_of_a_per_issue_model(void **state)
{
    (void)state;
    parley_scenario *s = jeddah();
    size_t k = parley_scenario_issue_count(s);
    pm_options mo = {{0}};
    size_t threads[] = {1, 2, 7};
    for (size_t t = 0; t < 3; t++) {
        parley_error *err = parley_error_new();
        parley_run_options o = {0, threads[t], NULL};
        parley_result *r = pm_run_model(s, &toy, &mo, 1, &o, err);
        assert_non_null(r);
        assert_int_equal(parley_result_forecast_count(r), k);
        assert_int_equal(parley_result_exchange_count(r), k);
        assert_int_equal(parley_result_externality_count(r), k);
        /* In issue order, whatever thread ran which issue. */
        for (size_t i = 0; i < k; i++) {
            parley_exchange e;
            parley_externality x;
            assert_true(parley_result_exchange(r, i, &e));
            assert_true(parley_result_externality(r, i, &x));
            assert_int_equal(e.i_supply, i);
            assert_int_equal(x.actor, i);
        }
        parley_result_free(r);
        parley_error_free(err);
    }
    parley_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_pool_runs_every_task_exactly_once),
        cmocka_unit_test(a_call_uses_at_most_the_workers_it_asks_for),
        cmocka_unit_test(a_nested_parallel_call_runs_inline_without_deadlock),
        cmocka_unit_test(every_model_gives_the_same_json_bytes_on_one_two_and_seven_threads),
        cmocka_unit_test(a_forked_child_runs_parallel_work_on_its_own_pool),
        cmocka_unit_test(runs_on_several_threads_at_once_share_the_pool_and_give_the_same_bytes),
        cmocka_unit_test(a_long_smp_run_cancelled_from_another_thread_stops_with_the_cancelled_status),
        cmocka_unit_test(a_long_exchange_run_cancelled_from_another_thread_stops_with_the_cancelled_status),
        cmocka_unit_test(a_run_cancelled_before_it_starts_returns_no_result),
        cmocka_unit_test(the_merge_keeps_the_trades_and_externalities_of_a_per_issue_model),
    };
    return cmocka_run_group_tests(tests, start_pool, NULL);
}
