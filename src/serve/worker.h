/* worker.h - runs a request's work in a worker process, under the server's budgets (budget.h): a pool of
 * workers for small requests and one for heavy ones, a time budget (the child is killed past it: 503), a
 * memory budget (the child's address space) and an answer budget (413). */
#ifndef PARLEY_SERVE_WORKER_H
#define PARLEY_SERVE_WORKER_H

#include <stdbool.h>
#include <stddef.h>

#include "api.h"

/* Reads the budgets (PARLEY_SERVE_SECONDS and PARLEY_SERVE_ANSWER_BYTES may lower them) and starts the
 * fork server. Call it while the process has a single thread. Returns false with a message on stderr
 * when an override is not a whole number within the budget, or the fork server cannot start. */
bool serve_workers_init(void);

/* Waits for a worker of the heavy or small pool, runs serve_api_run on job in a worker process and fills
 * *a with its answer, or with the 503 or 413 the budgets call for. The caller frees a->body. */
void serve_isolated(bool heavy, const serve_job *job, serve_answer *a);

/* Stops every running child and wakes every waiting request (they answer 503). */
void serve_workers_stop(void);

#endif
