/* pool.c - the process's one set of worker threads: started on first use, shared by every parallel call,
 * restarted in a child after fork(). */
#include "pool.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* The one call the pool serves at a time. Every field is guarded by `lock`. */
typedef struct pool_job {
    pool_fn fn;
    void *ctx;
    size_t tasks, next;  /* next: the next task to hand out */
    size_t want, joined; /* pool threads that may join, and that did */
    size_t active;       /* pool threads inside the job */
    size_t first_worker; /* the worker number of the first pool thread (1 when the caller works too) */
} pool_job;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work = PTHREAD_COND_INITIALIZER; /* a job was posted */
static pthread_cond_t done = PTHREAD_COND_INITIALIZER; /* the last pool thread left a job */
static pool_job *current;
static size_t n_threads;
static bool started; /* threads were started (or tried) in this process */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static _Thread_local bool in_task, inline_here;

size_t pool_default_threads(void)
{
    const char *env = getenv("PARLEY_THREADS");
    long n = env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) n = 1;
    if (n > POOL_MAX_THREADS) n = POOL_MAX_THREADS;
    return (size_t)n;
}

size_t pool_workers(size_t tasks, size_t cap)
{
    if (in_task || inline_here) return 1;
    size_t n = cap ? cap : pool_default_threads();
    if (n > POOL_MAX_THREADS) n = POOL_MAX_THREADS;
    pthread_mutex_lock(&lock);
    if (started && n > n_threads) n = n_threads;
    pthread_mutex_unlock(&lock);
    if (n > tasks) n = tasks;
    return n ? n : 1;
}

void pool_set_inline(bool on)
{
    inline_here = on;
}

bool pool_in_task(void)
{
    return in_task;
}

size_t pool_size(void)
{
    pthread_mutex_lock(&lock);
    size_t n = n_threads;
    pthread_mutex_unlock(&lock);
    return n;
}

/* A pool thread: joins each posted job that still wants a thread and has tasks left, runs tasks until
 * none is left, and waits for the next. Threads live as long as the process. */
static void *thread_main(void *arg)
{
    (void)arg;
    in_task = true; /* a parallel call made by a task runs inline */
    pthread_mutex_lock(&lock);
    for (;;) {
        pool_job *j = current;
        if (!j || j->joined >= j->want || j->next >= j->tasks) {
            pthread_cond_wait(&work, &lock);
            continue;
        }
        size_t w = j->first_worker + j->joined++;
        j->active++;
        while (j->next < j->tasks) {
            size_t t = j->next++;
            pthread_mutex_unlock(&lock);
            j->fn(j->ctx, t, w);
            pthread_mutex_lock(&lock);
        }
        if (--j->active == 0) pthread_cond_broadcast(&done);
    }
    return NULL;
}

/* fork() copies only the calling thread: the child's pool has no threads and no job, and its lock is
 * taken across the fork so that the child never inherits it half-held. */
static void before_fork(void)
{
    pthread_mutex_lock(&lock);
}

static void after_fork_parent(void)
{
    pthread_mutex_unlock(&lock);
}

static void after_fork_child(void)
{
    pthread_mutex_unlock(&lock);
    pthread_cond_init(&work, NULL);
    pthread_cond_init(&done, NULL);
    current = NULL;
    n_threads = 0;
    started = false;
}

static void register_fork(void)
{
    pthread_atfork(before_fork, after_fork_parent, after_fork_child);
}

/* Starts the threads (with `lock` held), once per process: max(the default, want) of them, fewer when
 * the system refuses more. Signals stay blocked in them, so that a program's handlers run on its own
 * threads (and sigwait-based servers keep receiving theirs). */
static void start(size_t want)
{
    if (started) return;
    started = true;
    pthread_once(&once, register_fork);
    size_t n = pool_default_threads();
    if (want > n) n = want;
    if (n > POOL_MAX_THREADS) n = POOL_MAX_THREADS;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (; n_threads < n; n_threads++) {
        pthread_t t;
        if (pthread_create(&t, &attr, thread_main, NULL) != 0) break;
    }
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* Runs every task on the calling thread, worker 0, calling tick (when given) after each. */
static void run_inline(size_t tasks, pool_fn fn, void *ctx, void (*tick)(void *), void *tick_ctx)
{
    bool was = in_task;
    in_task = true;
    for (size_t t = 0; t < tasks; t++) {
        fn(ctx, t, 0);
        if (tick) tick(tick_ctx);
    }
    in_task = was;
}

static void run(size_t tasks, size_t cap, pool_fn fn, void *ctx, void (*tick)(void *), void *tick_ctx)
{
    if (tasks == 0) return;
    if (in_task || inline_here) {
        run_inline(tasks, fn, ctx, tick, tick_ctx);
        return;
    }
    size_t asked = cap ? cap : pool_default_threads();
    pthread_mutex_lock(&lock);
    if (asked > 1 || tick) start(asked);
    pthread_mutex_unlock(&lock);
    size_t nw = pool_workers(tasks, cap);
    pthread_mutex_lock(&lock);
    /* Another thread's call holds the pool: this one runs on its own thread rather than wait. */
    if (current || n_threads == 0 || (nw <= 1 && !tick)) {
        pthread_mutex_unlock(&lock);
        run_inline(tasks, fn, ctx, tick, tick_ctx);
        return;
    }
    pool_job j = {fn, ctx, tasks, 0, tick ? nw : nw - 1, 0, 0, tick ? 0 : 1};
    if (j.want > n_threads) j.want = n_threads;
    current = &j;
    pthread_cond_broadcast(&work);
    if (!tick) {
        in_task = true;
        while (j.next < j.tasks) {
            size_t t = j.next++;
            pthread_mutex_unlock(&lock);
            fn(ctx, t, 0);
            pthread_mutex_lock(&lock);
        }
        in_task = false;
    }
    while (j.next < j.tasks || j.active > 0) {
        if (!tick) {
            pthread_cond_wait(&done, &lock);
            continue;
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 100000000;
        if (until.tv_nsec >= 1000000000) until.tv_sec++, until.tv_nsec -= 1000000000;
        pthread_cond_timedwait(&done, &lock, &until);
        pthread_mutex_unlock(&lock);
        tick(tick_ctx);
        pthread_mutex_lock(&lock);
    }
    current = NULL;
    pthread_mutex_unlock(&lock);
}

void pool_run(size_t tasks, size_t cap, pool_fn fn, void *ctx)
{
    run(tasks, cap, fn, ctx, NULL, NULL);
}

void pool_run_ticking(size_t tasks, size_t cap, pool_fn fn, void *ctx, void (*tick)(void *tick_ctx), void *tick_ctx)
{
    run(tasks, cap, fn, ctx, tick, tick_ctx);
}
