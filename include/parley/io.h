/* io.h - reading scenarios from files in every supported format, and writing them back.
 *
 * Ownership: a successful read hands the caller a finalized scenario to free with parley_scenario_free.
 * On failure *out is NULL and err holds every fault found (up to PARLEY_MAX_ERRORS). Readers also add
 * notes and warnings to err (for example which salience scale they assumed) on success. */
#ifndef PARLEY_IO_H
#define PARLEY_IO_H

#include <stddef.h>

#include "parley/error.h"
#include "parley/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct parley_read_options {
    const char *format;         /* "json", "csv", "bdm", "ktab", "decide", "deu"; NULL or "auto" sniffs */
    const char *salience_scale; /* "auto" (default), "fraction" or "percent" */
} parley_read_options;

/* Returns the format names a reader exists for, NULL-terminated. */
const char *const *parley_formats(void);

/* Returns the format name data looks like, or NULL when it cannot tell. */
const char *parley_sniff(const char *data, size_t len);

/* Reads the file at path ("-" reads standard input). Returns PARLEY_OK and sets *out, or a status and
 * fills err. opts may be NULL for defaults. */
parley_status parley_read_file(const char *path, const parley_read_options *opts, parley_scenario **out,
                               parley_error *err);
/* Reads a scenario from memory; name is used in messages and to name a single unnamed issue. */
parley_status parley_read_buffer(const char *data, size_t len, const char *name, const parley_read_options *opts,
                                 parley_scenario **out, parley_error *err);

/* Serialises a finalized scenario as "json" (lossless) or "csv" (tidy; drops descriptions and reasons).
 * Returns a malloc'd NUL-terminated text the caller frees, or NULL (err says why). */
char *parley_scenario_serialize(const parley_scenario *s, const char *format, parley_error *err);

/* Builds the scenario that variant v of s describes (the base with the variant's changes), validated like
 * any input: a change that leaves a number out of range, or names a stance that does not exist, is an
 * error naming the variant and the change. The new scenario has no variants. */
parley_status parley_scenario_variant(const parley_scenario *s, size_t v, parley_scenario **out, parley_error *err);

/* Writes len bytes to path so that it is never half-written: a temporary file in the same folder, then
 * a rename. "-" writes to standard output. Returns PARLEY_OK or PARLEY_E_IO (err says why). */
parley_status parley_write_file(const char *path, const char *data, size_t len, parley_error *err);

#ifdef __cplusplus
}
#endif
#endif
