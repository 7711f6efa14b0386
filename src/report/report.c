/* report.c - parley_report: dispatch to the text, JSON and CSV writers (what they share is in common.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error_internal.h"
#include "report_internal.h"

const char *parley_version(void)
{
    return PARLEY_VERSION;
}

/* Where parley_report_write writes, and whether a write failed (with its errno). */
typedef struct file_sink {
    FILE *f;
    int failed;
} file_sink;

/* jw's sink for parley_report_write: fwrite to the FILE. */
static bool to_file(void *ctx, const char *text, size_t n)
{
    file_sink *fs = ctx;
    errno = 0;
    if (fwrite(text, 1, n, fs->f) == n) return true;
    fs->failed = errno ? errno : EIO;
    return false;
}

parley_status parley_report_write(FILE *f, const char *display, const parley_scenario *s, const parley_result *r,
                                  const char *format, const parley_report_options *o, parley_error *err)
{
    file_sink fs = {f, 0};
    if (strcmp(format, "json") && strcmp(format, "text") && strcmp(format, "csv"))
        return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--format", "expected text, json or csv, found \"%s\"", format);
    if (!strcmp(format, "json")) {
        if (!report_json_to(s, r, to_file, &fs) && !fs.failed) return PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    } else {
        char *text = parley_report_with(s, r, format, o, err);
        if (!text) return PARLEY_E_NOMEM; /* the format is known: parley_report_with said "out of memory" */
        to_file(&fs, text, strlen(text));
        free(text);
    }
    errno = 0;
    if (!fs.failed && fflush(f) != 0) fs.failed = errno ? errno : EIO;
    if (fs.failed) return PERR(err, PARLEY_E_IO, display, 0, 0, NULL, "write error: %s", strerror(fs.failed));
    return PARLEY_OK;
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
