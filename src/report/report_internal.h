/* report_internal.h - the writers behind parley_report, and helpers they share. */
#ifndef PARLEY_REPORT_INTERNAL_H
#define PARLEY_REPORT_INTERNAL_H

#include "../core/jsonw.h"
#include "../core/util.h"
#include "parley/report.h"

char *report_text(const parley_scenario *s, const parley_result *r);
char *report_json(const parley_scenario *s, const parley_result *r);
char *report_csv(const parley_scenario *s, const parley_result *r);

/* Writes the provenance members every JSON output starts with: parley version, schema version, input,
 * seed and the resolved model options (when r is set). */
void report_json_provenance(jw *w, const parley_scenario *s, const parley_result *r);

/* Formats a number for people: up to 2 decimals, trailing zeros dropped; from 1e15 on, 4 significant
 * digits ("1e+308"); NaN as "-". Needs 16 bytes. */
void report_fmt(char *buf, size_t size, double v);
/* Formats a number on the scale [lo, hi]: like report_fmt on an ordinary scale; on a scale narrower than
 * 0.01 or reaching 1e15, 4 significant digits, so that 7e-301 on a scale 1e-300 wide does not read 0. */
void report_fmt_on(char *buf, size_t size, double v, double lo, double hi);

/* The name a reader sees: an issue's label (else its id), an actor's name (else its id). */
const char *issue_name(const parley_scenario *s, size_t k);
const char *actor_name(const parley_scenario *s, size_t a);

/* The trajectories chart of one run on issue k (charts.c); NULL with err set when the run has no rounds. */
char *chart_trajectories(const parley_scenario *s, const parley_result *r, size_t k, size_t run, parley_error *err);

#endif
