/* test_html.c - the HTML report leads with the answer: the "At a glance" table of the headline forecast. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helpers.h"

/* Two issues: one with labelled ends, markup in a label and a reference point; one bare. */
static const char two_issues[] =
    "{\"issues\":[{\"id\":\"p\",\"label\":\"Peace\",\"low\":0,\"high\":100,\"reference\":0,"
    "\"low_label\":\"war\",\"high_label\":\"<b>peace</b> & quiet\"},"
    "{\"id\":\"q\",\"low\":0,\"high\":10}],"
    "\"actors\":[{\"id\":\"A\",\"capability\":1},{\"id\":\"B\",\"capability\":3},{\"id\":\"C\",\"capability\":2}],\"stances\":["
    "{\"actor\":\"A\",\"issue\":\"p\",\"position\":10,\"salience\":0.5},{\"actor\":\"B\",\"issue\":\"p\",\"position\":90,\"salience\":0.8},"
    "{\"actor\":\"C\",\"issue\":\"p\",\"position\":70,\"salience\":0.4},{\"actor\":\"A\",\"issue\":\"q\",\"position\":1,\"salience\":0.5},"
    "{\"actor\":\"B\",\"issue\":\"q\",\"position\":4,\"salience\":0.5},{\"actor\":\"C\",\"issue\":\"q\",\"position\":2,\"salience\":0.5}]}";

static parley_scenario *scenario(void)
{
    parley_scenario *s = NULL;
    assert_int_equal(parley_read_buffer(two_issues, strlen(two_issues), "two.json", NULL, &s, NULL), PARLEY_OK);
    return s;
}

/* Returns the text of the glance table's row for issue id (a copy up to its </tr>), failing when absent. */
static char *row_of(const char *html, const char *id)
{
    char want[64];
    snprintf(want, sizeof want, "<tr data-issue=\"%s\">", id);
    const char *p = strstr(html, want);
    assert_non_null(p);
    const char *e = strstr(p, "</tr>");
    assert_non_null(e);
    char *row = malloc((size_t)(e - p) + 1);
    assert_non_null(row);
    memcpy(row, p, (size_t)(e - p));
    row[e - p] = '\0';
    return row;
}

/* Formats v as the report does on a 0-100 scale: up to two decimals, trailing zeros dropped. */
static void two_decimals(char *buf, size_t size, double v)
{
    snprintf(buf, size, "%.2f", v);
    char *end = buf + strlen(buf) - 1;
    while (*end == '0') *end-- = '\0';
    if (*end == '.') *end = '\0';
}

static void the_report_opens_with_the_headline_forecast_its_interval_and_the_models_range(void **state)
{
    (void)state;
    parley_scenario *s = scenario();
    parley_result *r = run_spec(s, "ensemble,compromise,median,mean,nash", 1);
    assert_int_equal(parley_result_headline(r), 0);
    char *html = parley_html_report(s, r, NULL, NULL, NULL, NULL, NULL, 0, NULL);
    assert_non_null(html);
    const char *glance = strstr(html, "<h2 id=\"glance\">At a glance</h2>"), *every = strstr(html, "<h2 id=\"forecast\">");
    assert_non_null(glance);
    assert_non_null(every);
    assert_true(glance < every); /* the answer comes first */
    assert_non_null(strstr(html, "<th scope=\"col\">80% interval</th>"));
    assert_non_null(strstr(html, "<th scope=\"row\">Peace</th>"));

    char *row = row_of(html, "p"), want[160], a[40], z[40];
    two_decimals(a, sizeof a, parley_result_value(r, 0, 0));
    snprintf(want, sizeof want, "<td data-field=\"forecast\" data-run=\"0\">%s</td>", a);
    assert_non_null(strstr(row, want));
    double lo, hi;
    parley_result_interval(r, 0, 0, 0.8, &lo, &hi);
    assert_true(lo == parley_result_quantile(r, 0, 0, 0.1) && hi == parley_result_quantile(r, 0, 0, 0.9));
    two_decimals(a, sizeof a, lo), two_decimals(z, sizeof z, hi);
    snprintf(want, sizeof want, "<td data-field=\"interval\">%s to %s</td>", a, z);
    assert_non_null(strstr(row, want));
    /* The other models: the smallest and largest of runs 1-4. */
    double mn = INFINITY, mx = -INFINITY;
    for (size_t run = 1; run < 5; run++) mn = fmin(mn, parley_result_value(r, run, 0)), mx = fmax(mx, parley_result_value(r, run, 0));
    two_decimals(a, sizeof a, mn), two_decimals(z, sizeof z, mx);
    snprintf(want, sizeof want, "%s to %s", a, z);
    assert_non_null(strstr(row, want));
    /* Flagged exactly when that range is wider than the interval. */
    assert_true((strstr(row, "data-wider=\"true\"") != NULL) == (mx - mn > hi - lo));
    assert_true(mx - mn > hi - lo); /* here nash's status quo widens the range: the flag and its note show */
    assert_non_null(strstr(html, "<span class=\"flag\">!</span> the other models&#39; forecasts spread wider"));
    /* The words name the end it leans to, with the label's markup escaped. */
    double v = parley_result_value(r, 0, 0);
    if (v > 50) assert_non_null(strstr(row, "toward &#39;&lt;b&gt;peace&lt;/b&gt; &amp; quiet&#39;"));
    else if (v < 50) assert_non_null(strstr(row, "toward &#39;war&#39;"));
    assert_null(strstr(html, "<b>peace</b>"));
    free(row);
    /* An issue without labels names its ends by their numbers. */
    row = row_of(html, "q");
    assert_true(strstr(row, "toward the low end (0)") || strstr(row, "toward the high end (10)") || strstr(row, "midway"));
    /* In the same words as the text report's table. */
    const char *words = strstr(row, "data-field=\"words\">");
    assert_non_null(words);
    words += strlen("data-field=\"words\">");
    char *text = parley_report(s, r, "text", NULL);
    assert_non_null(text);
    char phrase[200];
    snprintf(phrase, sizeof phrase, "%.*s\n", (int)(strstr(words, "</td>") - words), words);
    assert_non_null(strstr(text, phrase));
    free(text);
    free(row);
    /* The forecast strips: the band of the 80% interval and the status quo tick (issue p only). */
    assert_non_null(strstr(html, "ensemble: 80% interval"));
    assert_non_null(strstr(html, "status quo (reference point): 0"));
    free(html);
    parley_result_free(r);
    parley_scenario_free(s);
}

static void without_a_distribution_the_table_says_so_and_shows_the_first_model(void **state)
{
    (void)state;
    parley_scenario *s = scenario();
    parley_result *r = run_spec(s, "compromise,median", 1);
    assert_int_equal(parley_result_headline(r), SIZE_MAX);
    char *html = parley_html_report(s, r, NULL, NULL, NULL, NULL, NULL, 0, NULL);
    assert_non_null(html);
    assert_non_null(strstr(html, "No model run here gives a predictive distribution"));
    assert_non_null(strstr(html, "data-headline=\"false\""));
    char *row = row_of(html, "p"), want[120], a[40];
    two_decimals(a, sizeof a, parley_result_value(r, 0, 0));
    snprintf(want, sizeof want, "<td data-field=\"forecast\" data-run=\"0\">%s</td><td data-field=\"interval\">-</td>", a);
    assert_non_null(strstr(row, want));
    assert_null(strstr(row, "data-wider"));
    free(row);
    assert_null(strstr(html, "80% interval of the"));
    free(html);
    parley_result_free(r);
    parley_scenario_free(s);
}

static void a_summary_report_keeps_the_answer_and_leaves_out_the_detail(void **state)
{
    (void)state;
    parley_scenario *s = scenario();
    parley_result *r = run_spec(s, "ensemble,bdm", 1);
    parley_report_options sum = {PARLEY_DETAIL_SUMMARY}, full = {PARLEY_DETAIL_FULL};
    char *a = parley_html_report_with(s, r, NULL, NULL, NULL, NULL, NULL, 0, &sum, NULL);
    char *b = parley_html_report_with(s, r, NULL, NULL, NULL, NULL, NULL, 0, &full, NULL);
    assert_non_null(strstr(a, "id=\"glance\""));
    assert_non_null(strstr(a, "id=\"forecast\""));
    assert_null(strstr(a, "id=\"scenario\""));
    assert_null(strstr(a, "id=\"rounds\""));
    assert_non_null(strstr(b, "id=\"scenario\""));
    assert_non_null(strstr(b, "id=\"rounds\""));
    assert_non_null(strstr(a, "</html>"));
    free(a), free(b);
    parley_result_free(r);
    parley_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_report_opens_with_the_headline_forecast_its_interval_and_the_models_range),
        cmocka_unit_test(without_a_distribution_the_table_says_so_and_shows_the_first_model),
        cmocka_unit_test(a_summary_report_keeps_the_answer_and_leaves_out_the_detail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
