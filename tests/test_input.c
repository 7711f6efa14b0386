/* test_input.c - input is never silently misread: row widths, the salience rule, long ids, BOM and NUL,
 * quoted blanks, the models key, limit messages, missing files, what CSV holds, and linear reading. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "parley/parley.h"
#include "core/scenario_internal.h" /* PARLEY_MAX_VARIANTS */

#define DATA PARLEY_TEST_DATA

/* Reads text (as a file called name) with format and scale (NULL for the defaults). */
static parley_status read_text(const char *text, size_t len, const char *name, const char *format, const char *scale,
                               parley_scenario **out, parley_error *err)
{
    parley_read_options o = {format, scale};
    return parley_read_buffer(text, len, name, &o, out, err);
}

/* Returns the number of diagnostics of severity sev whose text holds a (and b when set), on line (0: any). */
static size_t count_diag(const parley_error *err, parley_severity sev, int line, const char *a, const char *b)
{
    size_t n = 0;
    for (size_t i = 0; i < parley_error_count(err); i++) {
        const parley_diag *d = parley_error_at(err, i);
        if (d->severity != sev || (line && d->line != line)) continue;
        int len = parley_diag_format(d, NULL, 0);
        char *buf = malloc((size_t)len + 1);
        assert_non_null(buf);
        parley_diag_format(d, buf, (size_t)len + 1);
        n += strstr(buf, a) && (!b || strstr(buf, b));
        free(buf);
    }
    return n;
}

/* Fails the test, printing every diagnostic, unless exactly the expected errors and no NaN appear. */
static void expect_errors(const parley_error *err, size_t n)
{
    if (parley_error_errors(err) != n || count_diag(err, PARLEY_SEVERITY_ERROR, 0, "nan", NULL)) {
        char buf[2048];
        for (size_t i = 0; i < parley_error_count(err); i++) {
            parley_diag_format(parley_error_at(err, i), buf, sizeof buf);
            print_message("%s\n", buf);
        }
        fail_msg("expected %zu errors, found %zu", n, parley_error_errors(err));
    }
}

static void rows_of_another_width_than_the_header_are_one_error_each(void **state)
{
    (void)state;
    /* In every CSV-based reader: line 3 has a decimal comma in a comma-separated file (one cell too many),
     * line 4 has a cell too few. Each is one error naming the row's cell count and the header's. */
    static const struct {
        const char *format, *text, *want;
        int line; /* of the long row; the short one follows */
    } cases[] = {
        {"csv", "actor,issue,position,salience\nus,c,40,0.5\nua,c,0,5,0.9\nru,c,10\n", "expected 4 cells as in the header (line 1)", 3},
        {"bdm", "Actor,Capability,Position,Salience\nus,1,40,0.5\nua,1,0,5,0.9\nru,1,10\n", "expected 4 cells as in the header (line 1)", 3},
        {"ktab", "T,d,3,1\nActor,Description,Power,P1,S1\nus,u,1,40,50\nua,u,1,0,5,90\nru,u,1,10\n", "expected 5 cells", 4},
        {"decide", "#A,us,us\n#A,ua,ua\n#P,c,c\n#D,us,c,40,0.5,1\n#D,ua,c,0,5,0.9,1\n#D,ru,c,10,0.5\n", "expected 6 cells", 5},
        {"deu", "prnrnmc\tisnrnmc\tpcom\tscom\tout\n1\t1\t50\t60\t40\n2\t1\t50\t60\t40\t7\n3\t1\t50\n",
         "expected 5 cells as in the header (line 1)", 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        parley_error *err = parley_error_new();
        parley_scenario *s = NULL;
        const char *t = cases[i].text;
        assert_int_equal(read_text(t, strlen(t), "rows", cases[i].format, NULL, &s, err), PARLEY_E_SYNTAX);
        assert_null(s);
        int first = cases[i].line;
        if (count_diag(err, PARLEY_SEVERITY_ERROR, first, cases[i].want, "found") != 1 ||
            count_diag(err, PARLEY_SEVERITY_ERROR, first + 1, cases[i].want, "found") != 1)
            expect_errors(err, 0); /* prints what was found */
        expect_errors(err, 2);
        parley_scenario_free(s);
        parley_error_free(err);
    }
}

static void a_decimal_comma_row_names_both_counts_and_the_likely_cause(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    const char *t = "actor,issue,position,salience\nus,c,40,0.5\nua,c,0,5,0.9\n";
    assert_int_equal(read_text(t, strlen(t), "dc.csv", NULL, NULL, &s, err), PARLEY_E_SYNTAX);
    assert_int_equal(count_diag(err, PARLEY_SEVERITY_ERROR, 3, "dc.csv:3:10: error: row: expected 4 cells", "found 5"), 1);
    assert_int_equal(count_diag(err, PARLEY_SEVERITY_ERROR, 3, "decimal comma", NULL), 1);
    expect_errors(err, 1);
    /* A trailing delimiter (an empty cell past the header's) is no fault, nor is the same with ';'. */
    parley_error_clear(err);
    t = "actor;issue;position;salience\nus;c;40;0,5;\nua;c;0;0,9\n";
    assert_int_equal(read_text(t, strlen(t), "ok.csv", NULL, NULL, &s, err), PARLEY_OK);
    double sal = 0;
    assert_true(parley_stance(s, 0, 0, NULL, &sal, NULL) && sal == 0.5);
    parley_scenario_free(s);
    parley_error_free(err);
}

static void a_salience_above_1_among_fractions_is_an_error_naming_its_rows(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    const char *mix = "actor,issue,position,salience\na,c,10,0.5\nb,c,20,1.2\nc,c,30,0.3\nd,c,40,80\n";
    assert_int_equal(read_text(mix, strlen(mix), "mix.csv", NULL, NULL, &s, err), PARLEY_E_INVALID);
    assert_null(s);
    assert_int_equal(count_diag(err, PARLEY_SEVERITY_ERROR, 3, "2 saliences above 1 (on lines 3, 5)", "--salience-scale"), 1);
    expect_errors(err, 1);
    /* --salience-scale says which: percent divides all by 100; fraction rejects those above 1. */
    parley_error_clear(err);
    assert_int_equal(read_text(mix, strlen(mix), "mix.csv", NULL, "percent", &s, err), PARLEY_OK);
    double sal = 0;
    assert_true(parley_stance(s, 1, 0, NULL, &sal, NULL) && fabs(sal - 0.012) < 1e-15);
    parley_scenario_free(s);
    s = NULL;
    parley_error_clear(err);
    assert_int_equal(read_text(mix, strlen(mix), "mix.csv", NULL, "fraction", &s, err), PARLEY_E_INVALID);
    assert_int_equal(count_diag(err, PARLEY_SEVERITY_ERROR, 3, "salience in [0, 1]", "found 1.2"), 1);
    /* The rule itself: 0 and 1 alone with values above 1 are percentages; all in [0, 1] are fractions. */
    parley_error_clear(err);
    const char *pct = "actor,issue,position,salience\na,c,10,0\nb,c,20,1\nc,c,30,80\n";
    assert_int_equal(read_text(pct, strlen(pct), "pct.csv", NULL, NULL, &s, err), PARLEY_OK);
    assert_true(parley_stance(s, 1, 0, NULL, &sal, NULL) && sal == 0.01);
    assert_int_equal(count_diag(err, PARLEY_SEVERITY_NOTE, 0, "percentages", "none lies between 0 and 1"), 1);
    parley_scenario_free(s);
    s = NULL;
    parley_error_clear(err);
    const char *frac = "actor,issue,position,salience\na,c,10,0\nb,c,20,1\nc,c,30,0.25\n";
    assert_int_equal(read_text(frac, strlen(frac), "frac.csv", NULL, NULL, &s, err), PARLEY_OK);
    assert_true(parley_stance(s, 1, 0, NULL, &sal, NULL) && sal == 1);
    parley_scenario_free(s);
    parley_error_free(err);
}

static char *pu_test_strdup(const char *t)
{
    char *c = malloc(strlen(t) + 8);
    assert_non_null(c);
    strcpy(c, t);
    return c;
}

/* Returns a string of n copies of c followed by tail (malloc'd). */
static char *repeat(char c, size_t n, const char *tail)
{
    char *s = malloc(n + strlen(tail) + 1);
    assert_non_null(s);
    memset(s, c, n);
    strcpy(s + n, tail);
    return s;
}

static void a_long_variant_target_changes_the_actor_it_names(void **state)
{
    (void)state;
    /* Two actors whose ids share their first 255 bytes: a target clipped to 255 bytes named the other. */
    char *x = repeat('a', 255, ""), *y = repeat('a', 255, "b");
    char *doc = NULL;
    size_t cap = 4 * strlen(y) + 1024;
    doc = malloc(cap);
    assert_non_null(doc);
    snprintf(doc, cap,
             "{\"issues\": [{\"id\": \"i\", \"low\": 0, \"high\": 100}], \"actors\": [{\"id\": \"%s\"}, {\"id\": \"%s\"}],\n"
             " \"stances\": [{\"actor\": \"%s\", \"issue\": \"i\", \"position\": 10, \"salience\": 0.5},\n"
             "  {\"actor\": \"%s\", \"issue\": \"i\", \"position\": 90, \"salience\": 0.5}],\n"
             " \"variants\": [{\"id\": \"v\", \"changes\": [{\"set\": \"%s/i/position\", \"value\": 20}]}],\n"
             " \"shocks\": [{\"round\": 2, \"shift\": \"%s/i/position\", \"by\": 5}]}",
             x, y, x, y, y, y);
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL, *v = NULL;
    assert_int_equal(read_text(doc, strlen(doc), "long.json", NULL, NULL, &s, err), PARLEY_OK);
    size_t ix = 0, iy = 0, actor = 0;
    assert_true(parley_scenario_find_actor(s, x, &ix) && parley_scenario_find_actor(s, y, &iy));
    assert_true(parley_shock(s, 0, &actor, NULL, NULL, NULL, NULL));
    assert_int_equal(actor, iy);
    assert_int_equal(parley_scenario_variant(s, 0, &v, err), PARLEY_OK);
    double px = 0, py = 0;
    assert_true(parley_scenario_find_actor(v, x, &ix) && parley_scenario_find_actor(v, y, &iy));
    assert_true(parley_stance(v, ix, 0, &px, NULL, NULL) && parley_stance(v, iy, 0, &py, NULL, NULL));
    assert_true(px == 10 && py == 20);
    parley_scenario_free(v);
    parley_scenario_free(s);
    /* A long unknown issue in a target is named whole. */
    char *z = repeat('i', 300, "");
    snprintf(doc, cap,
             "{\"issues\": [{\"id\": \"i\", \"low\": 0, \"high\": 100}], \"actors\": [{\"id\": \"a\"}],\n"
             " \"stances\": [{\"actor\": \"a\", \"issue\": \"i\", \"position\": 10, \"salience\": 0.5}],\n"
             " \"variants\": [{\"id\": \"v\", \"changes\": [{\"set\": \"a/%s/position\", \"value\": 20}]}]}",
             z);
    s = NULL;
    parley_error_clear(err);
    assert_int_equal(read_text(doc, strlen(doc), "long.json", NULL, NULL, &s, err), PARLEY_E_INVALID);
    char *want = repeat('i', 300, "\" in");
    assert_int_equal(count_diag(err, PARLEY_SEVERITY_ERROR, 3, "unknown issue", want), 1);
    free(want), free(z), free(doc), free(x), free(y);
    parley_error_free(err);
}

static void variant_changes_see_the_actors_added_and_removed_before_them(void **state)
{
    (void)state;
    /* The changes are applied through hash indexes of actors and stances: an add or a remove must be seen
     * by every later change of the same variant. */
    const char *doc =
        "{\"issues\": [{\"id\": \"i\", \"low\": 0, \"high\": 100}, {\"id\": \"j\", \"low\": 0, \"high\": 100}],\n"
        " \"actors\": [{\"id\": \"a\"}, {\"id\": \"b\"}, {\"id\": \"c\"}],\n"
        " \"stances\": [{\"actor\": \"a\", \"issue\": \"i\", \"position\": 10, \"salience\": 0.5},\n"
        "  {\"actor\": \"b\", \"issue\": \"i\", \"position\": 20, \"salience\": 0.5},\n"
        "  {\"actor\": \"b\", \"issue\": \"j\", \"position\": 30, \"salience\": 0.5},\n"
        "  {\"actor\": \"c\", \"issue\": \"j\", \"position\": 40, \"salience\": 0.5}],\n"
        " \"variants\": [{\"id\": \"v\", \"changes\": [{\"set\": \"c/j/position\", \"value\": 41},\n"
        "   {\"add\": {\"id\": \"d\", \"capability\": 2}, \"stances\": [{\"issue\": \"j\", \"position\": 50, \"salience\": 1}]},\n"
        "   {\"shift\": \"d/j/position\", \"by\": 5}, {\"remove\": \"b\"}, {\"scale\": \"c/j/position\", \"by\": 2},\n"
        "   {\"set\": \"b/i/position\", \"value\": 0}]}]}";
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL, *v = NULL;
    assert_int_equal(read_text(doc, strlen(doc), "v.json", NULL, NULL, &s, err), PARLEY_OK);
    /* The last change names the removed actor: an error naming the change, at its line. */
    assert_int_equal(parley_scenario_variant(s, 0, &v, err), PARLEY_E_INVALID);
    assert_int_equal(count_diag(err, PARLEY_SEVERITY_ERROR, 10, "variant \"v\", change 6", "\"b\" has no stance on issue \"i\""), 1);
    parley_scenario_free(s);
    /* Without it, every change lands where it says. */
    char *shorter = pu_test_strdup(doc);
    *strstr(shorter, ",\n   {\"set\": \"b/i/position\"") = '\0';
    strcat(shorter, "]}]}");
    s = NULL;
    parley_error_clear(err);
    assert_int_equal(read_text(shorter, strlen(shorter), "v.json", NULL, NULL, &s, err), PARLEY_OK);
    assert_int_equal(parley_scenario_variant(s, 0, &v, err), PARLEY_OK);
    size_t b = 0, c = 0, d = 0;
    double pc = 0, pd = 0;
    assert_false(parley_scenario_find_actor(v, "b", &b));
    assert_true(parley_scenario_find_actor(v, "c", &c) && parley_scenario_find_actor(v, "d", &d));
    assert_true(parley_stance(v, c, 1, &pc, NULL, NULL) && parley_stance(v, d, 1, &pd, NULL, NULL));
    assert_true(pc == 82 && pd == 55);
    free(shorter);
    parley_scenario_free(v);
    parley_scenario_free(s);
    parley_error_free(err);
}

static void a_bom_before_json_is_skipped_and_a_nul_byte_has_its_place(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    const char bom[] = "\xEF\xBB\xBF{\"issues\": [{\"id\": \"i\", \"low\": 0, \"high\": 1}], \"actors\": [{\"id\": \"a\"}],\n"
                       " \"stances\": [{\"actor\": \"a\", \"issue\": \"i\", \"position\": 2, \"salience\": 1}]}";
    /* The position is off the scale: the error's column on line 1 counts from the text, not the BOM. */
    assert_int_equal(read_text(bom, sizeof bom - 1, "bom.json", NULL, NULL, &s, err), PARLEY_E_INVALID);
    assert_int_equal(count_diag(err, PARLEY_SEVERITY_ERROR, 2, "position on the scale", NULL), 1);
    expect_errors(err, 1);
    parley_error_clear(err);
    const char ok[] = "\xEF\xBB\xBF{\"issues\": [{\"id\": \"i\", \"low\": 0, \"high\": 1}], \"actors\": [{\"id\": \"a\"}],\n"
                      " \"stances\": [{\"actor\": \"a\", \"issue\": \"i\", \"position\": 1, \"salience\": 1}]}";
    assert_int_equal(read_text(ok, sizeof ok - 1, "bom.json", NULL, NULL, &s, err), PARLEY_OK);
    parley_scenario_free(s);
    s = NULL;
    /* A NUL byte, in any format, is reported at its line and column. */
    static const char nul[] = "actor,issue,position,salience\nus,c\0,40,0.5\n";
    const char *formats[] = {NULL, "json", "csv", "bdm", "ktab", "decide", "deu"};
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        parley_error_clear(err);
        assert_int_equal(read_text(nul, sizeof nul - 1, "nul.csv", formats[i], NULL, &s, err), PARLEY_E_SYNTAX);
        assert_int_equal(count_diag(err, PARLEY_SEVERITY_ERROR, 2, "nul.csv:2:5: error:", "NUL byte"), 1);
    }
    parley_error_free(err);
}

static void ids_with_edge_blanks_survive_a_csv_round_trip(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL, *t = NULL;
    const char *doc = "{\"issues\": [{\"id\": \" i\", \"low\": 0, \"high\": 1}], \"actors\": [{\"id\": \" lead\"}, {\"id\": \"trail \"}],"
                      " \"stances\": [{\"actor\": \" lead\", \"issue\": \" i\", \"position\": 0, \"salience\": 1},"
                      " {\"actor\": \"trail \", \"issue\": \" i\", \"position\": 1, \"salience\": 1}]}";
    assert_int_equal(read_text(doc, strlen(doc), "b.json", NULL, NULL, &s, err), PARLEY_OK);
    char *csv = parley_scenario_serialize(s, "csv", err);
    assert_non_null(csv);
    assert_non_null(strstr(csv, "\" lead\",\" i\","));
    assert_int_equal(read_text(csv, strlen(csv), "b.csv", NULL, NULL, &t, err), PARLEY_OK);
    size_t a;
    assert_true(parley_scenario_find_actor(t, " lead", &a) && parley_scenario_find_actor(t, "trail ", &a));
    assert_string_equal(parley_issue_id(t, 0), " i");
    /* Blanks outside quotes are still trimmed. */
    parley_scenario_free(t);
    t = NULL;
    const char *loose = "actor,issue,position,salience\n  x  ,  \" y \"  ,0,1\n";
    assert_int_equal(read_text(loose, strlen(loose), "l.csv", NULL, NULL, &t, err), PARLEY_OK);
    assert_string_equal(parley_actor_id(t, 0), "x");
    assert_string_equal(parley_issue_id(t, 0), " y ");
    free(csv);
    parley_scenario_free(s);
    parley_scenario_free(t);
    parley_error_free(err);
}

static void a_bad_models_key_is_an_error_at_the_key(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    const char *doc = "{\"issues\": [{\"id\": \"i\", \"low\": 0, \"high\": 1}], \"actors\": [{\"id\": \"a\"}],\n"
                      " \"stances\": [{\"actor\": \"a\", \"issue\": \"i\", \"position\": 0, \"salience\": 1}],\n"
                      "   \"models\": \"median,tie=sideways\"}";
    assert_int_equal(read_text(doc, strlen(doc), "m.json", NULL, NULL, &s, err), PARLEY_E_INVALID);
    assert_null(s);
    assert_int_equal(count_diag(err, PARLEY_SEVERITY_ERROR, 3, "m.json:3:4: error: models:", "found \"sideways\""), 1);
    parley_error_clear(err);
    const char *csv = "# models: mediam\nactor,issue,position,salience\na,i,0,1\n";
    assert_int_equal(read_text(csv, strlen(csv), "m.csv", NULL, NULL, &s, err), PARLEY_E_INVALID);
    assert_int_equal(count_diag(err, PARLEY_SEVERITY_ERROR, 1, "m.csv:1:11: error: models: unknown model \"mediam\"", NULL), 1);
    parley_error_clear(err);
    const char *good = "# models: median,tie=upper\nactor,issue,position,salience\na,i,0,1\n";
    assert_int_equal(read_text(good, strlen(good), "m.csv", NULL, NULL, &s, err), PARLEY_OK);
    assert_string_equal(parley_scenario_models(s), "median,tie=upper");
    parley_scenario_free(s);
    parley_error_free(err);
}

/* Reads text and checks that it fails at a size limit with a message that says "limit" and its value. */
static void expect_limit(const char *text, size_t len, const char *format, const char *value)
{
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(read_text(text, len, "big", format, NULL, &s, err), PARLEY_E_LIMIT);
    if (count_diag(err, PARLEY_SEVERITY_ERROR, 0, "limit", value) != 1) expect_errors(err, 0);
    parley_error_free(err);
}

static void every_size_limit_error_says_limit_and_its_value(void **state)
{
    (void)state;
    /* The file. */
    size_t n = PARLEY_MAX_FILE_BYTES + 1;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, ' ', n);
    big[0] = '{';
    expect_limit(big, n, NULL, "67108864");
    free(big);
    /* One CSV record. */
    n = (1u << 20) + 100;
    big = malloc(n + 64);
    assert_non_null(big);
    strcpy(big, "actor,issue,position,salience\n");
    size_t at = strlen(big);
    memset(big + at, 'x', n - at);
    big[n] = '\0';
    expect_limit(big, n, "csv", "1048576");
    free(big);
    /* One JSON text. */
    n = PARLEY_MAX_TEXT + 200;
    big = malloc(n);
    assert_non_null(big);
    strcpy(big, "{\"name\": \"");
    at = strlen(big);
    memset(big + at, 'x', PARLEY_MAX_TEXT + 1);
    strcpy(big + at + PARLEY_MAX_TEXT + 1, "\", \"issues\": [], \"actors\": [], \"stances\": []}");
    expect_limit(big, strlen(big), "json", "65536");
    free(big);
    /* Actors and issues (CSV rows of new ids). */
    for (int kind = 0; kind < 2; kind++) {
        size_t rows = kind == 0 ? PARLEY_MAX_ACTORS + 1 : PARLEY_MAX_ISSUES + 1;
        size_t capb = 40 + rows * 24;
        char *t = malloc(capb);
        assert_non_null(t);
        size_t len = (size_t)snprintf(t, capb, "actor,issue,position,salience\n");
        for (size_t i = 0; i < rows; i++)
            len += (size_t)snprintf(t + len, capb - len, kind == 0 ? "a%zu,i,0,1\n" : "a,i%zu,0,1\n", i);
        expect_limit(t, len, "csv", kind == 0 ? "100000" : "10000");
        free(t);
    }
    /* Variants. */
    size_t capv = 200 + (PARLEY_MAX_VARIANTS + 1) * 64;
    char *v = malloc(capv);
    assert_non_null(v);
    size_t len = (size_t)snprintf(v, capv, "{\"issues\": [{\"id\": \"i\", \"low\": 0, \"high\": 1}], \"actors\": [{\"id\": \"a\"}], "
                                           "\"stances\": [], \"variants\": [");
    for (size_t i = 0; i <= PARLEY_MAX_VARIANTS; i++)
        len += (size_t)snprintf(v + len, capv - len, "%s{\"id\": \"v%zu\", \"changes\": []}", i ? "," : "", i);
    len += (size_t)snprintf(v + len, capv - len, "]}");
    expect_limit(v, len, "json", "1000");
    free(v);
    /* Stances, in a reader that once stopped at the limit without a word (KTAB: 201 actors x 10,000
     * dimensions is 2,010,000 stances). */
    size_t dims = PARLEY_MAX_ISSUES, actors = PARLEY_MAX_STANCES / dims + 1;
    size_t capk = 64 + (dims * 12) + actors * (16 + dims * 4);
    char *k = malloc(capk);
    assert_non_null(k);
    len = (size_t)snprintf(k, capk, "T,d,%zu,%zu\nActor,Description,Power", actors, dims);
    for (size_t d = 0; d < dims; d++) len += (size_t)snprintf(k + len, capk - len, ",p%zu,s", d);
    for (size_t a = 0; a < actors; a++) {
        len += (size_t)snprintf(k + len, capk - len, "\na%zu,,1", a);
        for (size_t d = 0; d < dims; d++) memcpy(k + len, ",1,1", 4), len += 4;
    }
    k[len] = '\0';
    expect_limit(k, len, "ktab", "2000000");
    free(k);
}

static void a_missing_file_or_a_folder_is_the_callers_error(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(parley_read_file(DATA "/no/such/file.json", NULL, &s, err), PARLEY_E_USAGE);
    assert_int_equal(parley_status_exit_code(parley_error_status(err)), 2);
    assert_int_equal(count_diag(err, PARLEY_SEVERITY_ERROR, 0, "cannot open", "No such file"), 1);
    parley_error_clear(err);
    assert_int_equal(parley_read_file(DATA, NULL, &s, err), PARLEY_E_USAGE);
    assert_int_equal(count_diag(err, PARLEY_SEVERITY_ERROR, 0, "expected a file, found a folder", NULL), 1);
    assert_null(s);
    parley_error_free(err);
}

static void csv_keeps_the_name_and_names_each_thing_it_drops(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL, *t = NULL, *u = NULL;
    assert_int_equal(parley_read_file(DATA "/../../examples/jeddah-2025.json", NULL, &s, err), PARLEY_OK);
    parley_error_clear(err);
    char *csv = parley_scenario_serialize(s, "csv", err);
    assert_non_null(csv);
    assert_int_equal(count_diag(err, PARLEY_SEVERITY_WARNING, 0, "variants: CSV cannot hold variants: dropped 4",
                                "\"aid_resumed\""), 1);
    assert_int_equal(count_diag(err, PARLEY_SEVERITY_WARNING, 0, "why: CSV holds a reason for positions only", NULL), 1);
    parley_error_clear(err);
    assert_int_equal(read_text(csv, strlen(csv), "j.csv", NULL, NULL, &t, err), PARLEY_OK);
    assert_string_equal(parley_scenario_text(t, PARLEY_TEXT_NAME), parley_scenario_text(s, PARLEY_TEXT_NAME));
    assert_string_equal(parley_scenario_text(t, PARLEY_TEXT_DATE), "2025-03-11");
    assert_string_equal(parley_actor_text(t, 0, PARLEY_TEXT_DESCRIPTION), parley_actor_text(s, 0, PARLEY_TEXT_DESCRIPTION));
    assert_non_null(parley_why(t, 0, 0, PARLEY_FIELD_POSITION));
    /* csv -> json -> csv is stable. */
    char *json = parley_scenario_serialize(t, "json", err);
    assert_non_null(json);
    assert_int_equal(read_text(json, strlen(json), "j.json", NULL, NULL, &u, err), PARLEY_OK);
    char *again = parley_scenario_serialize(u, "csv", err);
    assert_string_equal(csv, again);
    /* A shock is named too. */
    parley_scenario_free(u);
    u = NULL;
    parley_error_clear(err);
    const char *shock = "{\"issues\": [{\"id\": \"i\", \"low\": 0, \"high\": 1}], \"actors\": [{\"id\": \"a\"}, {\"id\": \"lone\"}],"
                        " \"stances\": [{\"actor\": \"a\", \"issue\": \"i\", \"position\": 0, \"salience\": 1}],"
                        " \"shocks\": [{\"round\": 3, \"set\": \"a/i/position\", \"value\": 1}]}";
    assert_int_equal(read_text(shock, strlen(shock), "k.json", NULL, NULL, &u, err), PARLEY_OK);
    char *k = parley_scenario_serialize(u, "csv", err);
    assert_int_equal(count_diag(err, PARLEY_SEVERITY_WARNING, 0, "shocks: CSV cannot hold shocks: dropped 1",
                                "set a/i/position at round 3"), 1);
    assert_int_equal(count_diag(err, PARLEY_SEVERITY_WARNING, 0, "dropped actor \"lone\"", NULL), 1);
    free(k), free(csv), free(json), free(again);
    parley_scenario_free(s);
    parley_scenario_free(t);
    parley_scenario_free(u);
    parley_error_free(err);
}

static void csv_comment_lines_hold_known_fields_only(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    const char *t = "# written by hand; a plain comment\n# nmae: Talks\nactor;issue;position;salience\na;i;0;1\n";
    assert_string_equal(parley_sniff(t, strlen(t)), "csv");
    assert_int_equal(read_text(t, strlen(t), "c.csv", NULL, NULL, &s, err), PARLEY_E_SYNTAX);
    assert_int_equal(count_diag(err, PARLEY_SEVERITY_ERROR, 2, "c.csv:2:3: error: comment: unknown scenario field \"nmae\"",
                                "did you mean \"name\""), 1);
    parley_error_clear(err);
    t = "# name: Talks, in Jeddah\n# source: one\n# source: two\nactor;issue;position;salience\na;i;0;1\n";
    assert_int_equal(read_text(t, strlen(t), "c.csv", NULL, NULL, &s, err), PARLEY_OK);
    assert_string_equal(parley_scenario_text(s, PARLEY_TEXT_NAME), "Talks, in Jeddah");
    parley_scenario_free(s);
    parley_error_free(err);
}

static void observed_scales_come_from_each_issues_own_rows(void **state)
{
    (void)state;
    /* Many issues, rows interleaved: each issue's scale is the range of its own positions (the one-pass
     * computation that made wide files linear). */
    size_t issues = 300, actors = 4, cap = 64 + issues * actors * 32;
    char *t = malloc(cap);
    assert_non_null(t);
    size_t len = (size_t)snprintf(t, cap, "actor,issue,position,salience\n");
    for (size_t a = 0; a < actors; a++)
        for (size_t k = 0; k < issues; k++) len += (size_t)snprintf(t + len, cap - len, "a%zu,i%zu,%zu,0.5\n", a, k, k + 10 * a);
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(read_text(t, len, "wide.csv", NULL, NULL, &s, err), PARLEY_OK);
    for (size_t k = 0; k < issues; k++) {
        assert_true(parley_issue_number(s, k, PARLEY_ISSUE_LOW) == (double)k);
        assert_true(parley_issue_number(s, k, PARLEY_ISSUE_HIGH) == (double)(k + 10 * (actors - 1)));
    }
    free(t);
    parley_scenario_free(s);
    parley_error_free(err);
}

static void a_sparse_scenario_finds_each_stance_without_a_dense_grid(void **state)
{
    (void)state;
    /* 2,000 actors x 100 issues (200,000 cells) with 2,000 stances: the lookup is a hash table of the
     * stances (a dense grid of the limits, 100,000 x 10,000, would take 8 GB), and answers alike. */
    size_t na = 2000, ni = 100, cap = 64 + na * 40;
    char *t = malloc(cap);
    assert_non_null(t);
    size_t len = (size_t)snprintf(t, cap, "actor,issue,position,salience\n");
    for (size_t a = 0; a < na; a++) len += (size_t)snprintf(t + len, cap - len, "a%zu,i%zu,%zu,0.5\n", a, (a * 7) % ni, a);
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(read_text(t, len, "sparse.csv", "csv", NULL, &s, err), PARLEY_OK);
    assert_int_equal(parley_scenario_actor_count(s), na);
    size_t found = 0;
    for (size_t a = 0; a < na; a++)
        for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
            double pos;
            if (!parley_stance(s, a, k, &pos, NULL, NULL)) continue;
            found++;
            assert_true(pos == (double)a);
            assert_int_equal((size_t)atoi(parley_issue_id(s, k) + 1), (a * 7) % ni);
        }
    assert_int_equal(found, na);
    assert_false(parley_stance(s, na, 0, NULL, NULL, NULL));
    /* A second stance on one cell is still found and reported. */
    parley_scenario_free(s);
    s = NULL;
    len += (size_t)snprintf(t + len, cap - len, "a5,i35,1,0.5\n");
    parley_error_clear(err);
    assert_int_equal(read_text(t, len, "sparse.csv", "csv", NULL, &s, err), PARLEY_E_INVALID);
    assert_int_equal(count_diag(err, PARLEY_SEVERITY_ERROR, (int)na + 2, "second stance on issue \"i35\"", "first on line 7"), 1);
    free(t);
    parley_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_of_another_width_than_the_header_are_one_error_each),
        cmocka_unit_test(a_decimal_comma_row_names_both_counts_and_the_likely_cause),
        cmocka_unit_test(a_salience_above_1_among_fractions_is_an_error_naming_its_rows),
        cmocka_unit_test(a_long_variant_target_changes_the_actor_it_names),
        cmocka_unit_test(variant_changes_see_the_actors_added_and_removed_before_them),
        cmocka_unit_test(a_bom_before_json_is_skipped_and_a_nul_byte_has_its_place),
        cmocka_unit_test(ids_with_edge_blanks_survive_a_csv_round_trip),
        cmocka_unit_test(a_bad_models_key_is_an_error_at_the_key),
        cmocka_unit_test(every_size_limit_error_says_limit_and_its_value),
        cmocka_unit_test(a_missing_file_or_a_folder_is_the_callers_error),
        cmocka_unit_test(csv_keeps_the_name_and_names_each_thing_it_drops),
        cmocka_unit_test(csv_comment_lines_hold_known_fields_only),
        cmocka_unit_test(observed_scales_come_from_each_issues_own_rows),
        cmocka_unit_test(a_sparse_scenario_finds_each_stance_without_a_dense_grid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
