/* montecarlo.c - Monte Carlo reports: the spread of every model's forecast, in text and JSON. */
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error_internal.h"
#include "../core/jsonw.h"
#include "parley/montecarlo.h"
#include "report_internal.h"

typedef struct threshold {
    const char *text;
    size_t issue;
    char op[3];
    double value;
} threshold;

/* Parses "issue>=60" (ops <, <=, >, >=; the value on the issue's scale). Returns false after reporting a
 * malformed statement with what was expected: a reversed "=>", a misspelt issue (with a did-you-mean), a
 * value off the scale. */
static bool parse_threshold(const parley_scenario *s, const char *text, threshold *t, parley_error *err)
{
    static const char form[] = "ISSUE<VALUE, ISSUE<=VALUE, ISSUE>VALUE or ISSUE>=VALUE";
    size_t len = strcspn(text, "<>=!");
    size_t oplen = strspn(text + len, "<>=!");
    if (!text[len] || len == 0) {
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--threshold", "expected %s, found \"%s\"", form, text);
        return false;
    }
    const char *op = text + len;
    bool known = (oplen == 1 && (*op == '<' || *op == '>')) || (oplen == 2 && (*op == '<' || *op == '>') && op[1] == '=');
    if (!known) {
        if (oplen == 2 && op[0] == '=' && (op[1] == '<' || op[1] == '>'))
            PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--threshold", "expected %s, found \"%s\" (write %c= for %.2s)", form,
                 text, op[1], op);
        else
            PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--threshold", "expected %s, found the operator \"%.*s\" in \"%s\"", form,
                 (int)oplen, op, text);
        return false;
    }
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t')) len--;
    size_t skip = strspn(text, " \t");
    char *id = pu_asprintf("%.*s", (int)(len > skip ? len - skip : 0), text + skip);
    if (!id) {
        PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
        return false;
    }
    if (!parley_scenario_find_issue(s, id, &t->issue)) {
        size_t m = parley_scenario_issue_count(s);
        const char **ids = malloc((m ? m : 1) * sizeof *ids);
        for (size_t k = 0; ids && k < m; k++) ids[k] = parley_issue_id(s, k);
        const char *hint = ids ? pu_did_you_mean(id, ids, m) : NULL;
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--threshold", "unknown issue \"%s\" in \"%s\"%s%s%s", id, text,
             hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
        free(ids);
        free(id);
        return false;
    }
    free(id);
    memcpy(t->op, op, oplen);
    t->op[oplen] = '\0';
    const char *num = op + oplen;
    while (*num == ' ') num++;
    if (!pu_parse_double(num, strlen(num), false, &t->value)) {
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--threshold", "expected a number after \"%s\" in \"%s\", found \"%s\"", t->op,
             text, num);
        return false;
    }
    double lo = parley_issue_number(s, t->issue, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, t->issue, PARLEY_ISSUE_HIGH);
    if (lo > hi) {
        double x = lo;
        lo = hi, hi = x;
    }
    if (!(t->value >= lo && t->value <= hi)) {
        char a[40], b[40], v[40];
        pu_fmt_double(a, sizeof a, lo), pu_fmt_double(b, sizeof b, hi), pu_fmt_double(v, sizeof v, t->value);
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--threshold", "expected a value on the scale of %s, from %s to %s, found %s in \"%s\"",
             parley_issue_id(s, t->issue), a, b, v, text);
        return false;
    }
    t->text = text;
    return true;
}

parley_status parley_mc_check_thresholds(const parley_scenario *s, const char *const *thresholds, size_t n,
                                         parley_error *err)
{
    parley_status st = PARLEY_OK;
    for (size_t i = 0; i < n; i++) {
        threshold t;
        if (!parse_threshold(s, thresholds[i], &t, err)) st = parley_error_status(err) != PARLEY_OK ? parley_error_status(err) : PARLEY_E_USAGE;
    }
    return st;
}

/* A 20-bin histogram in one line of characters, tallest bin full. */
static void spark(pu_buf *b, const size_t hist[20])
{
    static const char *const lv[] = {" ", "_", ".", ":", "-", "=", "+", "*", "#"};
    size_t top = 0;
    for (int i = 0; i < 20; i++) top = hist[i] > top ? hist[i] : top;
    pu_buf_puts(b, "|");
    for (int i = 0; i < 20; i++) pu_buf_puts(b, lv[top ? (hist[i] * 8 + top - 1) / top : 0]);
    pu_buf_puts(b, "|");
}

static char *mc_text(const parley_mc *mc, const threshold *th, size_t nth, parley_detail detail)
{
    const parley_scenario *s = parley_mc_scenario(mc);
    const parley_result *base = parley_mc_base(mc);
    /* --detail summary: the headline run alone (the ensemble, else the first model). */
    size_t only = SIZE_MAX;
    if (detail == PARLEY_DETAIL_SUMMARY) only = parley_result_headline(base) != SIZE_MAX ? parley_result_headline(base) : 0;
    pu_buf b = {0};
    report_cleaner cn = {0};
    size_t done = parley_mc_completed(mc), draws = parley_mc_draws(mc), n_in = parley_mc_input_count(mc);
    pu_buf_printf(&b, "%s\nMonte Carlo: %zu draws (seed %llu), %zu uncertain input%s\n", report_clean(&cn, report_title(s)),
                  done, (unsigned long long)parley_mc_seed(mc), n_in, n_in == 1 ? "" : "s");
    if (done < draws) pu_buf_printf(&b, "interrupted: %zu of the %zu draws asked for were completed; the figures use those\n", done, draws);
    if (n_in == 0) pu_buf_puts(&b, "no number in this scenario carries a range, so every draw is the base case\n");
    for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
        double lo = parley_issue_number(s, k, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, k, PARLEY_ISSUE_HIGH);
        pu_buf_printf(&b, "\n%zu. %s  [%s]\n", k + 1, report_clean(&cn, issue_name(s, k)), report_clean(&cn, parley_issue_id(s, k)));
        pu_buf_printf(&b, "   %-22s %7s %7s %6s %7s %7s %7s %7s %7s   %s\n", "model", "base", "mean", "sd", "5%", "25%", "50%",
                      "75%", "95%", "distribution over the scale");
        for (size_t run = 0; run < parley_result_run_count(base); run++) {
            parley_mc_stats st;
            if (only != SIZE_MAX && run != only) continue;
            if (!parley_mc_summary(mc, run, k, &st)) break;
            char v[9][40];
            report_fmt_on(v[0], sizeof v[0], parley_result_value(base, run, k), lo, hi);
            report_fmt_on(v[1], sizeof v[1], st.mean, lo, hi);
            snprintf(v[2], sizeof v[2], "%.3g", st.sd);
            static const int qi[] = {0, 2, 3, 4, 6};
            for (int i = 0; i < 5; i++) report_fmt_on(v[3 + i], sizeof v[3 + i], st.q[qi[i]], lo, hi);
            pu_buf_printf(&b, "   %-22s %7s %7s %6s %7s %7s %7s %7s %7s   ", report_clean(&cn, parley_result_run_label(base, run)), v[0], v[1],
                          st.n ? v[2] : "-", v[3], v[4], v[5], v[6], v[7]);
            if (st.n) spark(&b, st.hist);
            else pu_buf_puts(&b, "(no forecast)");
            pu_buf_puts(&b, "\n");
        }
        for (size_t t = 0; t < nth; t++) {
            if (th[t].issue != k) continue;
            char tv[40];
            pu_fmt_double(tv, sizeof tv, th[t].value); /* as the user wrote it, exactly */
            pu_buf_printf(&b, "   P(%s %s %s):", report_clean(&cn, parley_issue_id(s, k)), th[t].op, tv);
            for (size_t run = 0, said = 0; run < parley_result_run_count(base); run++) {
                if (only != SIZE_MAX && run != only) continue;
                double p = parley_mc_probability(mc, run, k, th[t].op, th[t].value);
                pu_buf_printf(&b, "%s %s %.3f", said++ ? ";" : "", report_clean(&cn, parley_result_run_label(base, run)), p);
            }
            pu_buf_puts(&b, "\n");
        }
    }
    if (cn.failed) b.failed = true;
    report_cleaner_free(&cn);
    return pu_buf_take(&b);
}

static char *mc_json(const parley_mc *mc, const threshold *th, size_t nth)
{
    const parley_scenario *s = parley_mc_scenario(mc);
    const parley_result *base = parley_mc_base(mc);
    jw w = {0};
    jw_obj(&w);
    report_json_provenance(&w, s, base);
    jw_key(&w, "montecarlo");
    jw_obj(&w);
    jw_kint(&w, "draws", (long long)parley_mc_draws(mc));
    jw_kint(&w, "completed", (long long)parley_mc_completed(mc));
    jw_key(&w, "inputs");
    jw_arr(&w);
    for (size_t i = 0; i < parley_mc_input_count(mc); i++) {
        parley_uncertainty u;
        double v = parley_mc_input(mc, i, &u);
        jw_obj(&w);
        jw_kstr(&w, "name", parley_mc_input_name(mc, i));
        jw_knum(&w, "value", v);
        jw_kstr(&w, "dist", parley_dist_name(u.kind));
        jw_knum(&w, "low", u.low);
        jw_knum(&w, "high", u.high);
        if (u.kind == PARLEY_DIST_NORMAL) jw_knum(&w, "sd", u.sd);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "results");
    jw_arr(&w);
    for (size_t run = 0; run < parley_result_run_count(base); run++)
        for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
            parley_mc_stats st;
            if (!parley_mc_summary(mc, run, k, &st)) break;
            jw_obj(&w);
            report_json_run(&w, base, run);
            jw_kstr(&w, "issue", parley_issue_id(s, k));
            jw_knum(&w, "base", parley_result_value(base, run, k));
            jw_kint(&w, "n", (long long)st.n);
            jw_knum(&w, "mean", st.mean);
            jw_knum(&w, "sd", st.sd);
            jw_knum(&w, "min", st.min);
            jw_knum(&w, "max", st.max);
            jw_key(&w, "quantiles");
            jw_obj(&w);
            for (size_t i = 0; i < PARLEY_QUANTILE_COUNT; i++) jw_knum(&w, parley_quantile_key(i), st.q[i]);
            jw_obj_end(&w);
            jw_key(&w, "histogram");
            jw_obj(&w);
            jw_knum(&w, "low", parley_issue_number(s, k, PARLEY_ISSUE_LOW));
            jw_knum(&w, "high", parley_issue_number(s, k, PARLEY_ISSUE_HIGH));
            jw_key(&w, "counts");
            jw_arr_inline(&w);
            for (int i = 0; i < 20; i++) jw_int(&w, (long long)st.hist[i]);
            jw_arr_end(&w);
            jw_obj_end(&w);
            jw_obj_end(&w);
        }
    jw_arr_end(&w);
    jw_key(&w, "thresholds");
    jw_arr(&w);
    for (size_t t = 0; t < nth; t++) {
        jw_obj(&w);
        jw_kstr(&w, "statement", th[t].text);
        jw_kstr(&w, "issue", parley_issue_id(s, th[t].issue));
        jw_kstr(&w, "op", th[t].op);
        jw_knum(&w, "value", th[t].value);
        jw_key(&w, "probabilities");
        jw_arr(&w);
        for (size_t run = 0; run < parley_result_run_count(base); run++) {
            jw_obj(&w);
            report_json_run(&w, base, run);
            jw_knum(&w, "probability", parley_mc_probability(mc, run, th[t].issue, th[t].op, th[t].value));
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    jw_obj_end(&w);
    pu_buf_puts(&w.out, "\n");
    return pu_buf_take(&w.out);
}

char *parley_mc_report(const parley_mc *mc, const char *format, const char *const *thresholds, size_t n_thresholds,
                       parley_error *err)
{
    return parley_mc_report_with(mc, format, thresholds, n_thresholds, NULL, err);
}

char *parley_mc_report_with(const parley_mc *mc, const char *format, const char *const *thresholds, size_t n_thresholds,
                            const parley_report_options *o, parley_error *err)
{
    threshold *th = calloc(n_thresholds ? n_thresholds : 1, sizeof *th);
    if (!th) return NULL;
    for (size_t i = 0; i < n_thresholds; i++)
        if (!parse_threshold(parley_mc_scenario(mc), thresholds[i], &th[i], err)) {
            free(th);
            return NULL;
        }
    char *out = NULL;
    if (!strcmp(format, "text")) out = mc_text(mc, th, n_thresholds, o ? o->detail : PARLEY_DETAIL_NORMAL);
    else if (!strcmp(format, "json")) out = mc_json(mc, th, n_thresholds);
    else PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "format", "expected text or json, found \"%s\"", format);
    free(th);
    return out;
}
