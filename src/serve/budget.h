/* budget.h - every limit of parley serve in one place (docs/security.md and docs/api.md list them).
 *
 * The same rule everywhere: a bound known before the run (body, draws, rounds, sizes) is a 400 (the body
 * a 413), a run past its time or memory budget is stopped and answered 503, an answer past its byte
 * budget is a 413, and a request that cannot get a worker in time is a 503. Each comes with a JSON error. */
#ifndef PARLEY_SERVE_BUDGET_H
#define PARLEY_SERVE_BUDGET_H

/* Request bodies: one may hold this many bytes (more: 413, refused from its Content-Length before it is
 * read), and all connections together this many at once (more: 503), so a flood of uploads cannot fill
 * the memory. */
#define SERVE_MAX_BODY (8u << 20)
#define SERVE_MAX_BUFFERED (64u << 20)
/* Connections open at once; each has its own thread, so a slow run never holds up the page. */
#define SERVE_MAX_CONNECTIONS 128u
/* An idle connection is closed after this many seconds. */
#define SERVE_IDLE_SECONDS 60u

/* Sizes a run may have, checked before it starts (400). */
#define SERVE_MAX_DRAWS 20000       /* Monte Carlo draws */
#define SERVE_MAX_ACTORS 2000
#define SERVE_MAX_ISSUES 1000
#define SERVE_MAX_STANCES 100000
/* A round-based model: stances x rounds (bdm rounds, exchange rounds x repetitions when p > 0, smp
 * max_turns). The flagship with every model needs 5,600. */
#define SERVE_MAX_STANCE_ROUNDS 5000000.0
/* bdm keeps and writes who presses whom, actors^2 numbers per issue and round: actors^2 x issues x
 * rounds. About 25 bytes each in JSON, so 4 million stay within the answer budget below. */
#define SERVE_MAX_PRESSURE_CELLS 4000000.0
/* Monte Carlo keeps every draw's inputs and outputs: draws x (runs x issues + uncertain inputs). */
#define SERVE_MAX_MC_CELLS 32000000.0

/* The budgets of one run (each runs in a worker process, see worker.c): wall-clock seconds from the
 * moment it starts (503 past it), memory of a worker beyond what it holds when it starts (past it the
 * run fails for lack of memory: 503), and bytes of answer (413 past it). The flagship's Monte Carlo of 20,000
 * draws takes about 32 s; its full forecast answers 0.8 MB. PARLEY_SERVE_SECONDS,
 * PARLEY_SERVE_ANSWER_BYTES and PARLEY_SERVE_MEMORY_BYTES in the environment can lower (never raise)
 * them, for tests. */
#define SERVE_RUN_SECONDS 60
#define SERVE_RUN_MEMORY ((size_t)1 << 30)
#define SERVE_ANSWER_BYTES ((size_t)64 << 20)

/* The queue. Runs go to one of two pools of workers: small requests (a body up to SERVE_SMALL_BODY and
 * at most SERVE_SMALL_DRAWS draws) to SERVE_SMALL_WORKERS, the others to SERVE_HEAVY_WORKERS, so heavy
 * runs never hold up small ones, and the page and its assets need no worker at all. A request waits at
 * most SERVE_QUEUE_SECONDS for a worker (then 503); at most SERVE_HEAVY_QUEUE heavy ones wait at once
 * (more: 503 at once). */
#define SERVE_SMALL_BODY (256u << 10)
#define SERVE_SMALL_DRAWS 200
#define SERVE_SMALL_WORKERS 4
#define SERVE_HEAVY_WORKERS 2
#define SERVE_HEAVY_QUEUE 16
/* A worker's runs use at most this many threads (PARLEY_THREADS, when it asks for more): the workers
 * together already fill the cores, and each thread's stack and allocator arena count against the
 * memory budget. Results do not depend on it. */
#define SERVE_WORKER_THREADS 2
/* A worker process runs this many jobs, then a fresh one takes its place (and one whose job ran out of
 * memory is replaced at once). */
#define SERVE_WORKER_JOBS 1000
#define SERVE_QUEUE_SECONDS 120 /* two run budgets: a request behind a full pool waits for it to turn over */

#endif
