/* common.c - what every writer shares: numbers for people, provenance, the names a reader sees.
 * The writers (text.c, json.c, csv.c, charts.c, html.c, ...) call in here; nothing here calls a writer. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error_internal.h"
#include "report_internal.h"

/* Four significant digits, or fewer when they give v exactly ("1e+308", "5e-324", "7e-301"). */
static void fmt_significant(char *buf, size_t size, double v)
{
    for (int prec = 1; prec <= 4; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) return;
    }
}

void report_fmt(char *buf, size_t size, double v)
{
    if (isnan(v)) {
        snprintf(buf, size, "-");
        return;
    }
    if (!(fabs(v) < 1e15)) { /* two decimals of 1e308 would take 309 digits */
        fmt_significant(buf, size, v);
        return;
    }
    snprintf(buf, size, "%.2f", v);
    char *dot = strchr(buf, '.');
    if (!dot) return;
    char *end = buf + strlen(buf) - 1;
    while (end > dot && *end == '0') *end-- = '\0';
    if (end == dot) *end = '\0';
    if (!strcmp(buf, "-0")) snprintf(buf, size, "0");
}

bool report_scale_ordinary(double lo, double hi)
{
    /* Halves: the width of a scale from -1e308 to 1e308 does not overflow. */
    return fmax(fabs(lo), fabs(hi)) < 1e15 && hi / 2 - lo / 2 >= 0.005;
}

void report_fmt_on(char *buf, size_t size, double v, double lo, double hi)
{
    if (isnan(v) || v == 0 || report_scale_ordinary(lo, hi)) report_fmt(buf, size, v);
    else fmt_significant(buf, size, v);
}

void report_fmt_change(char *buf, size_t size, double from, double to, double lo, double hi)
{
    if (report_scale_ordinary(lo, hi)) {
        snprintf(buf, size, "%+.2f", to - from);
        return;
    }
    double half = to / 2 - from / 2;
    if (isinf(2 * half)) {
        snprintf(buf, size, "%smore than %.4g", half > 0 ? "+" : "-", DBL_MAX);
        return;
    }
    buf[0] = 2 * half < 0 ? '-' : '+';
    fmt_significant(buf + 1, size - 1, fabs(2 * half));
}

/* ---- text from the input, as a terminal shows it ---- */

const char *report_clean(report_cleaner *c, const char *s)
{
    if (!s || !pu_has_control(s)) return s;
    pu_buf *b = &c->slot[c->next++ % REPORT_CLEAN_SLOTS];
    pu_buf_free(b);
    pu_buf_escaped(b, s);
    if (b->failed) c->failed = true;
    return b->data && !b->failed ? b->data : "?";
}

const char *report_title(const parley_scenario *s)
{
    const char *name = parley_scenario_text(s, PARLEY_TEXT_NAME), *path = parley_scenario_source(s);
    return name ? name : path ? path : "unnamed scenario";
}

void report_cleaner_free(report_cleaner *c)
{
    for (int i = 0; i < REPORT_CLEAN_SLOTS; i++) pu_buf_free(&c->slot[i]);
}

void report_json_run(jw *w, const parley_result *r, size_t run)
{
    jw_kuint(w, "run", run);
    jw_kstr(w, "model", parley_result_run_model(r, run));
    jw_kstr(w, "label", parley_result_run_label(r, run));
    jw_kstr(w, "preset", parley_result_run_preset(r, run));
}

unsigned report_run_records(const parley_result *r, size_t run)
{
    const char *name = parley_result_run_model(r, run);
    const parley_model *m = name ? parley_model_find(name) : NULL;
    return m ? parley_model_records(m) : 0;
}

size_t report_models_with(pu_buf *b, unsigned record, const char *last)
{
    size_t total = 0, named = 0;
    for (size_t i = 0; i < parley_model_count(); i++) total += (parley_model_records(parley_model_at(i)) & record) != 0;
    for (size_t i = 0; i < parley_model_count(); i++) {
        const parley_model *m = parley_model_at(i);
        if (!(parley_model_records(m) & record)) continue;
        if (named) pu_buf_puts(b, named + 1 == total ? last : ", ");
        pu_buf_puts(b, parley_model_name(m));
        named++;
    }
    return named;
}

void report_json_provenance(jw *w, const parley_scenario *s, const parley_result *r)
{
    jw_kstr(w, "parley", PARLEY_VERSION);
    jw_kint(w, "schema_version", PARLEY_SCHEMA_VERSION);
    jw_key(w, "input");
    jw_obj(w);
    jw_kstr(w, "path", parley_scenario_source(s));
    jw_kstr(w, "format", parley_scenario_format(s));
    jw_kstr(w, "sha256", parley_scenario_sha256(s));
    jw_kstr(w, "name", parley_scenario_text(s, PARLEY_TEXT_NAME));
    jw_obj_end(w);
    if (!r) return;
    jw_kuint(w, "seed", parley_result_seed(r));
    jw_key(w, "models");
    jw_arr(w);
    for (size_t i = 0; i < parley_result_run_count(r); i++) {
        jw_obj(w);
        report_json_run(w, r, i);
        jw_key(w, "options");
        jw_obj(w);
        const char *name, *value;
        for (size_t j = 0; parley_result_run_option(r, i, j, &name, &value); j++) {
            jw_key(w, name);
            double num;
            if (pu_parse_double(value, strlen(value), false, &num)) jw_num(w, num);
            else if (!strcmp(value, "true") || !strcmp(value, "false")) jw_bool(w, !strcmp(value, "true"));
            else jw_str(w, value);
        }
        jw_obj_end(w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

const char *issue_name(const parley_scenario *s, size_t k)
{
    const char *l = parley_issue_text(s, k, PARLEY_TEXT_NAME);
    return l ? l : parley_issue_id(s, k);
}

const char *actor_name(const parley_scenario *s, size_t a)
{
    const char *l = parley_actor_text(s, a, PARLEY_TEXT_NAME);
    return l ? l : parley_actor_id(s, a);
}

void report_json_distribution(jw *w, const parley_result *r, size_t run, size_t issue)
{
    if (!parley_result_has_distribution(r, run, issue)) return;
    jw_key(w, "quantiles");
    jw_obj(w);
    for (size_t i = 0; i < PARLEY_QUANTILE_COUNT; i++)
        jw_knum(w, parley_quantile_key(i), parley_result_quantile(r, run, issue, parley_quantile_level(i)));
    jw_obj_end(w);
    jw_key(w, "atoms");
    jw_arr(w);
    double v, p;
    for (size_t i = 0; parley_result_atom(r, run, issue, i, &v, &p); i++) {
        jw_obj(w);
        jw_knum(w, "value", v);
        jw_knum(w, "p", p);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    double pr = parley_result_p_reference(r, run, issue);
    if (!isnan(pr)) jw_knum(w, "p_reference", pr);
}

/* ---- detail levels ---- */

static const char *const detail_names[] = {"normal", "summary", "full"};

parley_status parley_detail_parse(const char *name, parley_detail *out, parley_error *err)
{
    for (int d = 0; d < 3; d++)
        if (name && !strcmp(name, detail_names[d])) {
            *out = (parley_detail)d;
            return PARLEY_OK;
        }
    return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--detail", "expected summary, normal or full, found \"%s\"", name ? name : "");
}

const char *parley_detail_name(parley_detail detail)
{
    return (unsigned)detail < 3 ? detail_names[detail] : "normal";
}

/* ---- words for people ---- */

void report_lean(pu_buf *b, report_cleaner *cn, const parley_scenario *s, size_t k, double v)
{
    double lo = parley_issue_number(s, k, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, k, PARLEY_ISSUE_HIGH);
    const char *ll = parley_issue_text(s, k, PARLEY_TEXT_LOW_LABEL), *hl = parley_issue_text(s, k, PARLEY_TEXT_HIGH_LABEL);
    if (isnan(v) || !(hi > lo)) return;
    double mid = lo / 2 + hi / 2;
    char end[40];
    /* An end without a label is named by its number, so that every phrase names a place on the scale. */
    bool low = v < mid;
    const char *label = low ? ll : hl;
    report_fmt_on(end, sizeof end, low ? lo : hi, lo, hi);
    if (v == mid) {
        char a[40], z[40];
        report_fmt_on(a, sizeof a, lo, lo, hi), report_fmt_on(z, sizeof z, hi, lo, hi);
        if (ll && hl) {
            pu_buf_printf(b, "midway between '%s' and ", report_clean(cn, ll));
            pu_buf_printf(b, "'%s'", report_clean(cn, hl)); /* two calls: a ring slot lasts a few calls only */
        } else {
            pu_buf_printf(b, "midway between %s and %s", a, z);
        }
        return;
    }
    /* Within a tenth of the width of the middle it only leans (halves again, for the widest scales). */
    const char *how = v == (low ? lo : hi) ? "at" : fabs(v / 2 - mid / 2) < 0.1 * (hi / 2 - lo / 2) ? "leans toward" : "toward";
    if (label) pu_buf_printf(b, "%s '%s'", how, report_clean(cn, label));
    else pu_buf_printf(b, "%s the %s end (%s)", how, low ? "low" : "high", end);
}

/* Whether the word w (n bytes) equals lit, ignoring ASCII case. */
static bool word_is(const char *w, size_t n, const char *lit)
{
    if (strlen(lit) != n) return false;
    for (size_t i = 0; i < n; i++) {
        int a = (unsigned char)w[i], c = (unsigned char)lit[i];
        if (a >= 'A' && a <= 'Z') a += 32;
        if (a != c) return false;
    }
    return true;
}

bool report_name_plural(const char *name)
{
    if (!name) return false;
    /* The head of the name: what comes before a complement ("Government of Ukraine" is a government). */
    static const char *const complements[] = {" of ", " for ", " in ", " on ", " from ", " at ", " under ", ", ", " (", " - "};
    size_t len = strlen(name);
    for (size_t i = 0; i < sizeof complements / sizeof *complements; i++) {
        const char *p = strstr(name, complements[i]);
        if (p && (size_t)(p - name) < len) len = (size_t)(p - name);
    }
    while (len && (name[len - 1] == ' ' || name[len - 1] == '.' || name[len - 1] == ')')) len--;
    if (!len) return false;
    /* Two or more parties joined: "EU and continental European allies", "France & Germany". */
    for (size_t i = 0; i + 5 <= len; i++)
        if (!strncmp(name + i, " and ", 5)) return true;
    for (size_t i = 0; i + 3 <= len; i++)
        if (!strncmp(name + i, " & ", 3)) return true;
    if (!strncmp(name, "United ", 7)) return false; /* United States, Nations, Arab Emirates, Kingdom */
    size_t start = len;
    while (start && name[start - 1] != ' ') start--;
    const char *w = name + start;
    size_t n = len - start;
    if (n < 2 || (w[n - 1] != 's' && w[n - 1] != 'S')) return false;
    bool lower = false;
    for (size_t i = 0; i < n; i++) lower |= w[i] >= 'a' && w[i] <= 'z';
    if (!lower) return false;                                                     /* an acronym: OPEC, BRICS */
    if (w[n - 2] == '\'') return false;                                           /* Lloyd's */
    if (w[n - 2] >= 'A' && w[n - 2] <= 'Z' && w[n - 1] == 's') return true;       /* NGOs, MPs, MEPs */
    static const char *const singular[] = {
        "news", "series", "species", "means", "politics", "economics", "physics", "headquarters", "netherlands",
        "philippines", "maldives", "seychelles", "islands", "wales", "brussels", "athens", "evans", "hans", "johans",
        "paris", "tunis", "davis", "lewis", "francis", "dennis", "curtis", "crisis", "analysis", "basis", "axis", "memphis"};
    for (size_t i = 0; i < sizeof singular / sizeof *singular; i++)
        if (word_is(w, n, singular[i])) return false;
    if (w[0] >= 'a' && w[0] <= 'z') {
        /* A common noun: plural unless its -s belongs to the word (access, status, basis, gas, kudos). */
        char before = w[n - 2];
        return !strchr("suaoSUAO", before);
    }
    /* A proper name: Willems, Peters, Sanders, Honduras, Hamas, Congress are one party. Only endings that
     * make group names (Democrats, Republicans, Islamists, Palestinians, Shiites, Conservatives, Liberals,
     * Allies) and plural demonyms in -is (Israelis, Houthis) read as plural. */
    static const char *const endings[] = {"ats", "ans", "ists", "ites", "ives", "als", "ies"};
    for (size_t i = 0; i < sizeof endings / sizeof *endings; i++) {
        size_t e = strlen(endings[i]);
        if (n > e + 1 && word_is(w + n - e, e, endings[i])) return true;
    }
    static const char *const groups[] = {"greens", "kurds", "israelis", "houthis", "iraqis", "saudis", "pakistanis",
                                         "yemenis", "somalis", "bengalis", "nepalis", "afghanis", "omanis", "qataris"};
    for (size_t i = 0; i < sizeof groups / sizeof *groups; i++)
        if (word_is(w, n, groups[i])) return true;
    return false;
}

const char *report_verb(const char *name, const char *singular, const char *plural)
{
    return report_name_plural(name) ? plural : singular;
}

void report_possessive(pu_buf *b, const char *name)
{
    pu_buf_puts(b, name);
    size_t n = strlen(name);
    pu_buf_puts(b, report_name_plural(name) && n && (name[n - 1] == 's' || name[n - 1] == 'S') ? "'" : "'s");
}
