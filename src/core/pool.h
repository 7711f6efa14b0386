/* pool.h (internal) - the process's one set of worker threads, which every parallel call in libparley shares.
 *
 * The threads start on first use, sized then (the larger of PARLEY_THREADS, else one per core, and the
 * count that call asks for), and live until the process ends; a child after fork() starts its own on its
 * first parallel call. A call gets at most the workers it asks for, and runs inline (on the calling
 * thread alone) when called from inside a task of another call, or while another thread's call holds
 * the pool: tasks must therefore never wait for each other. */
#ifndef PARLEY_CORE_POOL_H
#define PARLEY_CORE_POOL_H

#include <stdbool.h>
#include <stddef.h>

/* The most threads a call can use. */
#define POOL_MAX_THREADS 64

/* One task: fn(ctx, task, worker), worker below the call's worker count (for per-worker scratch). */
typedef void (*pool_fn)(void *ctx, size_t task, size_t worker);

/* Returns the default worker count of a call: PARLEY_THREADS when set (read at each call, so that a
 * process may lower it), else the number of cores; within [1, POOL_MAX_THREADS]. */
size_t pool_default_threads(void);
/* Returns how many workers pool_run(tasks, cap, ...) from this thread would use: cap (0: the default),
 * at most tasks, at most the pool's size once it has started, 1 inside a task or while pool_set_inline
 * is on; at least 1. */
size_t pool_workers(size_t tasks, size_t cap);
/* Calls fn for every task in [0, tasks) exactly once, spread over pool_workers(tasks, cap) workers, the
 * calling thread being worker 0, and returns when all are done. When the threads cannot start, or the
 * pool is busy with another thread's call, the calling thread runs every task itself (worker 0). */
void pool_run(size_t tasks, size_t cap, pool_fn fn, void *ctx);
/* Like pool_run, but the calling thread takes no task: it calls tick(tick_ctx) about ten times a second
 * until every task is done (progress reports). Workers are numbered from 0 as in pool_run. */
void pool_run_ticking(size_t tasks, size_t cap, pool_fn fn, void *ctx, void (*tick)(void *tick_ctx), void *tick_ctx);
/* Makes every pool_run of the calling thread run inline (on) or not (off): for callers that already run
 * many calls in parallel threads of their own. */
void pool_set_inline(bool on);
/* Returns whether the calling thread is running a pool task. */
bool pool_in_task(void);
/* Returns the number of threads the pool has started in this process (0 before first use and in a
 * child after fork until its first parallel call). For tests. */
size_t pool_size(void);

#endif
