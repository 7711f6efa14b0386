/* worker.h - runs a request's work in a child process, under the server's budgets (budget.h): a pool of
 * workers for small requests and one for heavy ones, a time budget (the child is killed past it: 503), a
 * memory budget (the child's address space) and an answer budget (413). */
#ifndef PARLEY_SERVE_WORKER_H
#define PARLEY_SERVE_WORKER_H

#include <stdbool.h>
#include <stddef.h>

#include "api.h"

/* The work a child does: fill *a (its body malloc'd), answering at most answer_budget bytes. */
typedef void (*serve_work_fn)(void *ctx, serve_answer *a, size_t answer_budget);

/* Reads the budgets (PARLEY_SERVE_SECONDS and PARLEY_SERVE_ANSWER_BYTES may lower them); returns false
 * with a message on stderr when one of those is not a whole number within the budget. */
bool serve_workers_init(void);

/* Waits for a worker of the heavy or small pool, runs fn(ctx) in a child process and fills *a with its
 * answer, or with the 503 or 413 the budgets call for. The caller frees a->body. */
void serve_isolated(bool heavy, serve_work_fn fn, void *ctx, serve_answer *a);

/* Stops every running child and wakes every waiting request (they answer 503). */
void serve_workers_stop(void);

#endif
