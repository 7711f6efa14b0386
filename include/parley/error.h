/* error.h - parley's one status enum and the diagnostics list every fallible call fills.
 *
 * Threads: a parley_error is filled by one call at a time; give each thread its own. Statuses and their
 * messages are constants, safe everywhere. */
#ifndef PARLEY_ERROR_H
#define PARLEY_ERROR_H

#include "parley/api.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Every fallible function in libparley returns one of these. */
typedef enum parley_status {
    PARLEY_OK = 0,
    PARLEY_E_NOMEM,    /* out of memory */
    PARLEY_E_IO,       /* a file could not be opened, read or written */
    PARLEY_E_SYNTAX,   /* the input is not well formed (bad JSON, bad CSV, unknown key) */
    PARLEY_E_INVALID,  /* well formed, but a value breaks a rule (NaN, off the scale, unknown id) */
    PARLEY_E_LIMIT,    /* the input exceeds a documented size limit */
    PARLEY_E_USAGE,    /* a bad model spec, option or argument */
    PARLEY_E_MODEL,    /* a model could not run on this scenario */
    PARLEY_E_INTERNAL, /* a bug in parley: please report it */
    PARLEY_E_CANCELLED /* the caller cancelled the call (see parley_run_options); nothing was kept */
} parley_status;

/* Returns a static one-line description of a status; never NULL. */
PARLEY_API const char *parley_status_message(parley_status status);

/* Returns the process exit code a front end should use: 0 ok, 2 bad input or usage, 130 cancelled (the
 * shell's code for a program stopped by Ctrl-C), 1 otherwise. */
PARLEY_API int parley_status_exit_code(parley_status status);

typedef enum parley_severity {
    PARLEY_SEVERITY_ERROR = 0,
    PARLEY_SEVERITY_WARNING,
    PARLEY_SEVERITY_NOTE
} parley_severity;

/* One diagnostic. Strings are owned by the parley_error that holds it; line and column are 1-based,
 * 0 when unknown; file and field may be NULL. */
typedef struct parley_diag {
    parley_severity severity;
    parley_status status;
    const char *file;
    int line;
    int column;
    const char *field;
    const char *message;
} parley_diag;

/* An ordered list of diagnostics. Readers report every fault they find, up to PARLEY_MAX_ERRORS,
 * before they fail. Ownership: the caller creates it with parley_error_new and frees it with
 * parley_error_free; every pointer it hands out lives until then (or until parley_error_clear). */
typedef struct parley_error parley_error;

#define PARLEY_MAX_ERRORS 50

/* Returns a new empty list, or NULL when out of memory. */
PARLEY_API parley_error *parley_error_new(void);
PARLEY_API void parley_error_free(parley_error *err);
PARLEY_API void parley_error_clear(parley_error *err);

/* Returns the status of the first error-severity diagnostic, or PARLEY_OK when there is none. */
PARLEY_API parley_status parley_error_status(const parley_error *err);
/* Returns the number of diagnostics of every severity. */
PARLEY_API size_t parley_error_count(const parley_error *err);
/* Returns the number of error-severity diagnostics. */
PARLEY_API size_t parley_error_errors(const parley_error *err);
/* Returns diagnostic i (0-based), or NULL when i is out of range. */
PARLEY_API const parley_diag *parley_error_at(const parley_error *err, size_t i);

/* Writes "file:line:column: error: field: message" into buf (always NUL-terminated when size > 0).
 * Returns the length the full text needs, like snprintf. */
PARLEY_API int parley_diag_format(const parley_diag *d, char *buf, size_t size);
/* Writes s into buf (NUL-terminated, truncated to size) with every control character (C0, DEL, C1) as a
 * visible escape (\n, \t, \x1b, \u009b), as parley_diag_format writes names: text read from a file, made
 * safe for a terminal. Returns the length the whole text needs, or -1 when out of memory. */
PARLEY_API int parley_escape_text(const char *s, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
