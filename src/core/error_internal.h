/* error_internal.h - how the library adds diagnostics to a parley_error. */
#ifndef PARLEY_ERROR_INTERNAL_H
#define PARLEY_ERROR_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>

#include "parley/error.h"

/* Appends a diagnostic (err may be NULL). Returns status, so a caller can write
 * `return perr_add(err, PARLEY_SEVERITY_ERROR, PARLEY_E_INVALID, ...)`. */
parley_status perr_add(parley_error *err, parley_severity sev, parley_status status, const char *file,
                       int line, int column, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
parley_status perr_vadd(parley_error *err, parley_severity sev, parley_status status, const char *file,
                        int line, int column, const char *field, const char *fmt, va_list ap)
    __attribute__((format(printf, 8, 0)));

/* Returns true once PARLEY_MAX_ERRORS errors are held: a reader should stop looking for more. */
bool perr_full(const parley_error *err);

#define PERR(err, status, file, line, col, field, ...) \
    perr_add((err), PARLEY_SEVERITY_ERROR, (status), (file), (line), (col), (field), __VA_ARGS__)
#define PWARN(err, file, line, col, field, ...) \
    perr_add((err), PARLEY_SEVERITY_WARNING, PARLEY_OK, (file), (line), (col), (field), __VA_ARGS__)
#define PNOTE(err, file, line, col, field, ...) \
    perr_add((err), PARLEY_SEVERITY_NOTE, PARLEY_OK, (file), (line), (col), (field), __VA_ARGS__)

#endif
