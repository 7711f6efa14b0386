/* io.h - reading scenarios from files in every supported format, and writing them back.
 *
 * Ownership: a successful read hands the caller a finalized scenario to free with parley_scenario_free.
 * On failure *out is NULL and err holds every fault found (up to PARLEY_MAX_ERRORS). Readers also add
 * notes and warnings to err (for example which salience scale they assumed) on success.
 *
 * Threads: reading and serialising are reentrant (each call owns what it builds); a finalized scenario is
 * never changed by any call that takes it const, so many threads may read one at once. */
#ifndef PARLEY_IO_H
#define PARLEY_IO_H

#include "parley/api.h"

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
PARLEY_API const char *const *parley_formats(void);

/* Returns the format name data looks like, or NULL when it cannot tell. */
PARLEY_API const char *parley_sniff(const char *data, size_t len);

/* Reads the file at path ("-" reads standard input). Returns PARLEY_OK and sets *out, or a status and
 * fills err: PARLEY_E_USAGE when the path is the caller's mistake (missing, a folder, not readable),
 * PARLEY_E_IO for other read failures, the reader's status for faults in the text. opts may be NULL for
 * defaults. */
PARLEY_API parley_status parley_read_file(const char *path, const parley_read_options *opts, parley_scenario **out,
                               parley_error *err);
/* Reads a scenario from memory; name is used in messages and to name a single unnamed issue. name NULL:
 * "<input>" in messages, and no path (parley_scenario_source NULL; JSON output's input.path null). */
PARLEY_API parley_status parley_read_buffer(const char *data, size_t len, const char *name, const parley_read_options *opts,
                                 parley_scenario **out, parley_error *err);

/* Reads the scenario that n paths make: one path is read as parley_read_file reads it, unless it is a
 * folder, which is read as a GENIUS negotiation (its *.xml files: the one without <weight> elements is the
 * domain, the others the profiles, in name order); several paths are a GENIUS negotiation, the domain
 * first, then one profile per party. A GENIUS negotiation becomes: one issue per domain <issue>, id and
 * label its name exactly as written (discrete issues are option issues; integer ones integer scales; real
 * ones scales enumerated at real_grid evenly spaced points, ends included: 0 means 31); one actor per profile, its id the file's name without
 * ".xml", its weights as written, discrete evaluations divided by the largest (GENIUS's rule),
 * linear evaluators kept (parley_evaluation), reservation and discount factor when the file gives them.
 * Faults name the file, line and column. */
PARLEY_API parley_status parley_read_files(const char *const *paths, size_t n, const parley_read_options *opts,
                                           size_t real_grid, parley_scenario **out, parley_error *err);
/* Reads a GENIUS negotiation held in memory: the domain's text and n_profiles profiles' texts, each with
 * the name its messages use (a profile's name, less any folder and ".xml", is its actor's id). */
PARLEY_API parley_status parley_read_genius_buffers(const char *domain, size_t domain_len, const char *domain_name,
                                                    const char *const *profiles, const size_t *profile_lens,
                                                    const char *const *profile_names, size_t n_profiles,
                                                    size_t real_grid, parley_scenario **out, parley_error *err);

/* Serialises a finalized scenario as "json" (lossless) or "csv" (tidy; drops descriptions and reasons).
 * Returns a malloc'd NUL-terminated text the caller frees, or NULL (err says why). */
PARLEY_API char *parley_scenario_serialize(const parley_scenario *s, const char *format, parley_error *err);

/* Builds the scenario that variant v of s describes (the base with the variant's changes), validated like
 * any input: a change that leaves a number out of range, or names a stance that does not exist, is an
 * error naming the variant and the change. The new scenario has no variants. */
PARLEY_API parley_status parley_scenario_variant(const parley_scenario *s, size_t v, parley_scenario **out, parley_error *err);

/* Known outcomes kept apart from a scenario (docs/scenario-format.md, "Known outcomes"): a CSV with exactly
 * the header `issue,outcome,date,why,source` and one row per issue that has an outcome: the outcome on the
 * issue's own scale, the ISO date (YYYY-MM-DD) of the event that settled it, the reasoning and the public
 * source (the last three may be blank). Applied to a finalized scenario s, it returns in *out a new
 * finalized scenario, a copy of s whose known outcomes are exactly the file's: an issue without a row has
 * none (a note says so, a warning when s had one and it is set aside). The reasoning becomes the
 * outcome's reason (written back as "outcome": {"value", "why"}), the date and the source the issue's
 * attributes "outcome_date" and "outcome_source". s itself is never changed; *out belongs to the caller,
 * who frees it with parley_scenario_free (either may be freed first).
 * Returns PARLEY_OK, or a status with every fault in err (and *out NULL), each naming the file, line,
 * column and field: an empty file, a header other than the five columns, a row with fewer or more cells,
 * an unknown issue (with the closest id as a hint), an issue given twice, an outcome that is not a number
 * or is off the scale, a date that is not one. PARLEY_E_USAGE when the path is the caller's
 * mistake (missing, a folder) or s is not finalized. path "-" reads standard input. */
PARLEY_API parley_status parley_outcomes_apply(const parley_scenario *s, const char *path, parley_scenario **out,
                                               parley_error *err);
/* parley_outcomes_apply on outcomes held in memory; name is the file name used in messages. */
PARLEY_API parley_status parley_outcomes_apply_buffer(const parley_scenario *s, const char *data, size_t len,
                                                      const char *name, parley_scenario **out, parley_error *err);

/* What a write must not do: overwrite one of the files it was made from. */
typedef struct parley_write_options {
    const char *const *inputs; /* paths the output must not be (compared as files: links count); "-" and NULL skipped */
    size_t n_inputs;
} parley_write_options;

/* Writes len bytes to path so that nothing is lost or half-written:
 * - "-" writes to standard output;
 * - a path that is the same file as one of o->inputs is PARLEY_E_USAGE, and nothing is written;
 * - a symbolic link is followed, and the file it names is the one replaced;
 * - an existing file that is not a regular one (a device, a FIFO, a terminal) is written in place;
 * - otherwise a temporary file is created exclusively, under an unpredictable name in the same folder,
 *   with the old file's permission bits (a new file: 0666 less the umask), flushed to disk and renamed
 *   over the name; it is removed when the write fails, and on SIGINT or SIGTERM where the program left
 *   those signals at their default action.
 * Returns PARLEY_OK, PARLEY_E_USAGE (the input, a folder) or PARLEY_E_IO (err says why). o may be NULL. */
PARLEY_API parley_status parley_write_file_to(const char *path, const char *data, size_t len, const parley_write_options *o,
                                   parley_error *err);
/* parley_write_file_to with no inputs to protect. */
PARLEY_API parley_status parley_write_file(const char *path, const char *data, size_t len, parley_error *err);

#ifdef __cplusplus
}
#endif
#endif
