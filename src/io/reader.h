/* reader.h - what every format reader gets and must do. */
#ifndef PARLEY_READER_H
#define PARLEY_READER_H

#include <stdlib.h>

#include "../core/error_internal.h"
#include "../core/scenario_internal.h"
#include "csvtok.h"
#include "parley/io.h"

typedef struct rd_ctx {
    const char *data;
    size_t len;
    const char *file;     /* name for messages */
    parley_scenario *s;   /* the scenario being built (already allocated) */
    parley_error *err;
    /* Set by a reader whose format fixes the salience scale (KTAB, DEU: 0-100); NULL applies the rule. */
    const char *declared_salience_scale;
    /* Set by a reader whose format declares no scale: the observed range of positions is used. */
    bool observed_scale;
} rd_ctx;

/* A reader fills c->s and reports every fault it finds into c->err. It returns PARLEY_OK or the status of
 * its first fault. The caller then applies the salience rule, scales and capabilities, and finalizes. */
typedef parley_status (*rd_fn)(rd_ctx *c);

parley_status rd_json(rd_ctx *c);
parley_status rd_csv(rd_ctx *c);
parley_status rd_bdm(rd_ctx *c);
parley_status rd_ktab(rd_ctx *c);
parley_status rd_decide(rd_ctx *c);
parley_status rd_deu(rd_ctx *c);

/* Parses the number in field i of rec into *out. On failure reports "expected a number" naming the field
 * and returns false. Blank text fails too unless optional, in which case *out becomes NaN. */
bool rd_number(rd_ctx *c, csv_record *rec, size_t i, const char *field, bool optional, double *out);

/* Returns the number of cells of rec without the blank ones at its end (a trailing delimiter). */
size_t rd_width(const csv_record *rec);

/* Checks that rec has want cells (blank cells past them, as a trailing delimiter leaves, are allowed; blank
 * cells up to them must still be there). Otherwise reports one error naming the row's count and want,
 * which why explains ("as in the header (line 1)"), and returns false: the caller skips the row, so that a
 * shifted row gives no follow-on errors. delim is the reader's delimiter, for the decimal-comma hint. */
bool rd_cells(rd_ctx *c, const csv_record *rec, size_t want, char delim, const char *why);

/* Returns a new stance, or NULL after reporting (at line and column) that the stances passed their limit
 * or memory ran out: the caller stops reading. */
pstance *rd_stance(rd_ctx *c, int line, int column);

/* Returns the index of an actor (or issue) with this id, adding it when new. SIZE_MAX on failure. */
size_t rd_actor(rd_ctx *c, pu_map *ids, const char *id, int line, int column);
size_t rd_issue(rd_ctx *c, pu_map *ids, const char *id, int line, int column);

char *serialize_json(const parley_scenario *s, parley_error *err);
/* serialize_json, leaving the variants out unless variants is set (a variant is built from the base alone:
 * writing every variant into each one's document made comparing v variants cost v x all variants). */
char *serialize_json_part(const parley_scenario *s, bool variants, parley_error *err);
char *serialize_csv(const parley_scenario *s, parley_error *err);

#endif
