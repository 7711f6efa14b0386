/* api.h - the JSON API's endpoints (docs/api.md): what a request asks for, and the run that answers it.
 * The run happens in a worker process (worker.h); everything here is plain library calls. */
#ifndef PARLEY_SERVE_API_H
#define PARLEY_SERVE_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parley/parley.h"

typedef enum serve_endpoint { EP_FORECAST, EP_VALIDATE, EP_MONTECARLO, EP_COMPARE, EP_PLOT, EP_COUNT } serve_endpoint;

/* What a request asks for: the endpoint and its query, already checked (server.c parses it strictly). */
typedef struct serve_query {
    serve_endpoint ep;
    const char *model;     /* a model SPEC; NULL or "": the scenario's default plan */
    uint64_t seed;         /* default 1 */
    size_t draws;          /* montecarlo, default 500 */
    const char *threshold; /* montecarlo, NULL when none */
    const char *chart;     /* plot, default "forecast" */
    const char *issue;     /* plot, NULL: every issue */
    bool full;             /* forecast, compare, plot: detail=full, the whole pressure map (default: bounded) */
} serve_query;

/* A request's work: the query and the body (the scenario, or a JSON envelope around a file in another
 * format). Both are only read. */
typedef struct serve_job {
    serve_query q;
    const char *body;
    size_t len;
} serve_job;

/* An answer: status, media type and body (malloc'd, owned by whoever holds the answer). */
typedef struct serve_answer {
    unsigned status;
    char type[48];
    char *body;
    size_t len;
} serve_answer;

/* Returns the endpoint named by the path after "/api/", or EP_COUNT when there is none. */
serve_endpoint serve_endpoint_find(const char *name);
/* Returns the query keys the endpoint takes, as a NULL-terminated list. */
const char *const *serve_endpoint_keys(serve_endpoint ep);

/* Returns the registry as the JSON of GET /api/models (docs/api.md): every model's name, summary, scope,
 * records, presets and options, and whether it suits s (omitted when s is NULL). NULL when out of memory. */
char *serve_models_json(const parley_scenario *s);

/* Fills *a with {"error": message, "diagnostics": [...]} (err may be NULL) and the status. Cannot fail:
 * out of memory it answers a fixed text. */
void serve_error(serve_answer *a, unsigned status, const char *message, const parley_error *err);

/* Runs job (a serve_job *) and fills *a: the endpoint's answer, a 400 for a bad scenario, a bad query or
 * a size over the bounds of budget.h, a 413 for an answer over answer_budget bytes, a 503 when the run ran
 * out of memory. Meant for a worker process (worker.c). */
void serve_api_run(const serve_job *job, serve_answer *a, size_t answer_budget);

#endif
