/* report_internal.h - the writers behind parley_report, and helpers they share. */
#ifndef PARLEY_REPORT_INTERNAL_H
#define PARLEY_REPORT_INTERNAL_H

#include "../core/jsonw.h"
#include "../core/util.h"
#include "parley/model.h"
#include "parley/report.h"

/* The writers behind parley_report (text.c, json.c, csv.c). */
char *report_text(const parley_scenario *s, const parley_result *r, parley_detail detail);
char *report_json(const parley_scenario *s, const parley_result *r);
/* Writes the same text as report_json to sink in pieces (jw's sink), holding about 64 KB at a time.
 * Returns false when out of memory or when sink returned false. */
bool report_json_to(const parley_scenario *s, const parley_result *r, bool (*sink)(void *ctx, const char *text, size_t n),
                    void *ctx);
char *report_csv(const parley_scenario *s, const parley_result *r);

/* ---- common.c: shared by every writer; calls no writer ---- */

/* Writes the provenance members every JSON output starts with: parley version, schema version, input,
 * seed and the resolved model options (when r is set). */
void report_json_provenance(jw *w, const parley_scenario *s, const parley_result *r);

/* Writes the members that name run `run` of r in every per-run JSON record: "run" (its index in the
 * plan), "model" (the bare registry name), "label" (the model as the SPEC gave it: preset and options
 * that differ from the defaults, e.g. "bdm,rounds=5") and "preset" (null when none). Two runs of one model
 * differ in "run", and in "label" unless their options are the same. */
void report_json_run(jw *w, const parley_result *r, size_t run);
/* Writes run's predictive distribution of issue, when it has one: "quantiles" (the keys "0.05" ... "0.95"),
 * "atoms" ([{"value", "p"}], ascending) and "p_reference" (when the issue has a reference point). */
void report_json_distribution(jw *w, const parley_result *r, size_t run, size_t issue);

/* Returns the PARLEY_RECORDS_* traits of run `run`'s model (0 when the registry does not know it). */
unsigned report_run_records(const parley_result *r, size_t run);
/* Appends to b the names of the registered models that record `record` (a PARLEY_RECORDS_* bit), joined
 * by ", " with `last` before the last one ("bdm, exchange, smp" or "bdm or smp"), for hints that say
 * which model to choose; returns how many it named. */
size_t report_models_with(pu_buf *b, unsigned record, const char *last);

/* Formats a number for people: up to 2 decimals, trailing zeros dropped; from 1e15 on, 4 significant
 * digits ("1e+308"); NaN as "-". Needs 16 bytes. */
void report_fmt(char *buf, size_t size, double v);
/* Formats a number on the scale [lo, hi]: like report_fmt on an ordinary scale; on a scale narrower than
 * 0.01 or reaching 1e15, 4 significant digits, so that 7e-301 on a scale 1e-300 wide does not read 0. */
void report_fmt_on(char *buf, size_t size, double v, double lo, double hi);
/* Returns whether [lo, hi] is a scale two decimals show well (narrower than 1e15 in magnitude, at least
 * 0.01 wide): there the writers keep their fixed formats. */
bool report_scale_ordinary(double lo, double hi);
/* Formats the change from `from` to `to` on the scale [lo, hi] with its sign: "%+.2f" on an ordinary
 * scale, else 4 significant digits ("+4.14e+307"), or "+more than 1.798e+308" past the largest double. */
void report_fmt_change(char *buf, size_t size, double from, double to, double lo, double hi);

/* Text from the input (names, labels, reasons, ids) as a terminal shows it: every control character
 * escaped (pu_buf_escaped), so that an ESC[2J in an actor's name cannot clear the screen. Text without
 * one is returned as is; the rest is escaped into one of a ring of buffers, enough for the names one
 * line prints: a returned text lives only until REPORT_CLEAN_SLOTS further calls, so use it at once and
 * never keep it. Text writers only: SVG and HTML escape for themselves (svg_escape). */
enum { REPORT_CLEAN_SLOTS = 8 };
typedef struct report_cleaner {
    pu_buf slot[REPORT_CLEAN_SLOTS];
    unsigned next;
    bool failed; /* an escape ran out of memory: the writer fails */
} report_cleaner;
const char *report_clean(report_cleaner *c, const char *s);
/* The scenario's title for a report's heading: its name, else its path, else "unnamed scenario" (one built
 * in memory has neither). */
const char *report_title(const parley_scenario *s);
void report_cleaner_free(report_cleaner *c);

/* The name a reader sees: an issue's label (else its id), an actor's name (else its id). */
const char *issue_name(const parley_scenario *s, size_t k);
const char *actor_name(const parley_scenario *s, size_t a);

/* Appends the "At a glance" table of r on s (text.c): per issue the headline run's forecast
 * (parley_result_headline) in the scale's words, its 80% interval, the range of the other runs' forecasts
 * and a flag where that range is wider than the interval; without a headline run, the first run with a
 * forecast and no interval, saying so. Issues are matched to r by index. */
void report_glance(pu_buf *b, report_cleaner *cn, const parley_scenario *s, const parley_result *r);
/* The run whose forecasts lead a text: the headline run, else the first run with a forecast of issue k
 * (SIZE_MAX when none has one). */
size_t report_lead_run(const parley_result *r, size_t k);

/* Appends where v lies on issue k's scale in the scale's own words: "at 'LOW LABEL'", "toward 'HIGH
 * LABEL'", "leans toward 'A'" within a tenth of the scale's width of its middle, "midway between 'A' and
 * 'B'" on it; on a scale without labels, "toward the low end (0)" and so on.
 * Labels are cleaned for a terminal (report_clean). */
void report_lean(pu_buf *b, report_cleaner *cn, const parley_scenario *s, size_t k, double v);

/* Whether a name (an actor's label) reads as plural in English, so that its verb takes the plural form.
 * A heuristic on the head of the name (what precedes "of", "for", ", " ...): parties joined by "and" or
 * "&" are plural ("EU and continental European allies"); a common noun in -s is ("Russian hard-liners"),
 * unless the -s is its own (-ss, -us, -as, -os); an acronym plus s is ("NGOs"); a proper name is plural
 * only with a group-name ending (Democrats, Republicans, Islamists, Allies) or as a plural demonym
 * (Israelis, Houthis). Singular: "US Congress", "Government of Ukraine", "United States", "OPEC",
 * "Willems", "Honduras", "Netherlands" and a short list of such names. */
bool report_name_plural(const char *name);
/* Returns singular or plural, the verb form that agrees with name ("presses" / "press"). */
const char *report_verb(const char *name, const char *singular, const char *plural);
/* Appends name's possessive: "hard-liners'" for a plural name, "US Congress's", "China's" otherwise. */
void report_possessive(pu_buf *b, const char *name);

/* The trajectories chart of one run on issue k (charts.c); NULL with err set when the run has no rounds. */
char *chart_trajectories(const parley_scenario *s, const parley_result *r, size_t k, size_t run, parley_error *err);

/* ---- html.c: the HTML report's pieces that the brief (brief.c) shows too ---- */

/* Appends the report's "At a glance" section (heading, table, note), escaped for HTML. */
void html_glance(pu_buf *b, const parley_scenario *s, const parley_result *r);
/* Appends chart `name` of issue (parley_chart) in a <div class="chart">; false, appending nothing, when it
 * cannot be drawn. */
struct parley_mc;
bool html_chart(pu_buf *b, const parley_scenario *s, const parley_result *r, const struct parley_mc *mc, const double *lo,
                const double *hi, const char *name, size_t issue);

#endif
