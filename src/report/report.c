/* report.c - parley_report: dispatch to the text, JSON and CSV writers (what they share is in common.c). */
#include <string.h>

#include "../core/error_internal.h"
#include "report_internal.h"

const char *parley_version(void)
{
    return PARLEY_VERSION;
}

char *parley_report(const parley_scenario *s, const parley_result *r, const char *format, parley_error *err)
{
    return parley_report_with(s, r, format, NULL, err);
}

char *parley_report_with(const parley_scenario *s, const parley_result *r, const char *format, const parley_report_options *o,
                         parley_error *err)
{
    char *out = NULL;
    if (!strcmp(format, "text")) out = report_text(s, r, o ? o->detail : PARLEY_DETAIL_NORMAL);
    else if (!strcmp(format, "json")) out = report_json(s, r);
    else if (!strcmp(format, "csv")) out = report_csv(s, r);
    else {
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--format", "expected text, json or csv, found \"%s\"", format);
        return NULL;
    }
    if (!out) PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    return out;
}
