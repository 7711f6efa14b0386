/* helpers.h - what the model test suites share: reading test data and running a SPEC. Include after
 * cmocka.h. */
#ifndef PARLEY_TEST_HELPERS_H
#define PARLEY_TEST_HELPERS_H

#include <stdio.h>

#include "parley/parley.h"

/* Returns the scenario read from PARLEY_TEST_DATA/rel; fails the test when it cannot be read. */
static inline parley_scenario *read_data(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", PARLEY_TEST_DATA, rel);
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    if (parley_read_file(path, NULL, &s, err) != PARLEY_OK) fail_msg("cannot read %s", path);
    parley_error_free(err);
    return s;
}

/* Returns the result of running the model SPEC on s with this seed; fails the test on any error. */
static inline parley_result *run_spec(const parley_scenario *s, const char *spec, uint64_t seed)
{
    parley_error *err = parley_error_new();
    parley_plan *p = NULL;
    assert_int_equal(parley_plan_parse(&p, spec, err), PARLEY_OK);
    parley_result *r = parley_run(s, p, seed, err);
    assert_non_null(r);
    parley_plan_free(p);
    parley_error_free(err);
    return r;
}

#endif
