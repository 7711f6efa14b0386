/* error.c - the status enum's messages and the diagnostics list. */
#include "error_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct parley_error {
    parley_diag *items;
    size_t len, cap;
    size_t errors;
    bool truncated;
};

const char *parley_status_message(parley_status status)
{
    switch (status) {
    case PARLEY_OK: return "success";
    case PARLEY_E_NOMEM: return "out of memory";
    case PARLEY_E_IO: return "input/output error";
    case PARLEY_E_SYNTAX: return "malformed input";
    case PARLEY_E_INVALID: return "invalid value";
    case PARLEY_E_LIMIT: return "input exceeds a size limit";
    case PARLEY_E_USAGE: return "bad usage";
    case PARLEY_E_MODEL: return "the model could not run";
    case PARLEY_E_INTERNAL: return "internal error";
    case PARLEY_E_CANCELLED: return "cancelled";
    }
    return "unknown status";
}

int parley_status_exit_code(parley_status status)
{
    switch (status) {
    case PARLEY_OK: return 0;
    case PARLEY_E_SYNTAX:
    case PARLEY_E_INVALID:
    case PARLEY_E_LIMIT:
    case PARLEY_E_USAGE: return 2;
    case PARLEY_E_CANCELLED: return 130;
    default: return 1;
    }
}

parley_error *parley_error_new(void)
{
    return calloc(1, sizeof(parley_error));
}

static void diag_free(parley_diag *d)
{
    free((char *)d->file);
    free((char *)d->field);
    free((char *)d->message);
}

void parley_error_clear(parley_error *err)
{
    if (!err) return;
    for (size_t i = 0; i < err->len; i++) diag_free(&err->items[i]);
    err->len = 0;
    err->errors = 0;
    err->truncated = false;
}

void parley_error_free(parley_error *err)
{
    if (!err) return;
    parley_error_clear(err);
    free(err->items);
    free(err);
}

parley_status parley_error_status(const parley_error *err)
{
    if (!err) return PARLEY_OK;
    for (size_t i = 0; i < err->len; i++)
        if (err->items[i].severity == PARLEY_SEVERITY_ERROR) return err->items[i].status;
    return PARLEY_OK;
}

size_t parley_error_count(const parley_error *err)
{
    return err ? err->len : 0;
}

size_t parley_error_errors(const parley_error *err)
{
    return err ? err->errors : 0;
}

const parley_diag *parley_error_at(const parley_error *err, size_t i)
{
    return err && i < err->len ? &err->items[i] : NULL;
}

int parley_diag_format(const parley_diag *d, char *buf, size_t size)
{
    pu_buf b = {0};
    /* A diagnostic is read on a terminal: a name or a found text with an ESC in it must not drive it. */
    if (d->file) {
        pu_buf_escaped(&b, d->file);
        if (d->line > 0) pu_buf_printf(&b, ":%d", d->line);
        if (d->line > 0 && d->column > 0) pu_buf_printf(&b, ":%d", d->column);
        pu_buf_puts(&b, ": ");
    }
    pu_buf_puts(&b, d->severity == PARLEY_SEVERITY_ERROR ? "error: "
                    : d->severity == PARLEY_SEVERITY_WARNING ? "warning: " : "note: ");
    if (d->field) {
        pu_buf_escaped(&b, d->field);
        pu_buf_puts(&b, ": ");
    }
    pu_buf_escaped(&b, d->message ? d->message : "");
    int n = b.failed ? -1 : (int)b.len;
    if (size) snprintf(buf, size, "%s", b.data && !b.failed ? b.data : "");
    pu_buf_free(&b);
    return n;
}

int parley_escape_text(const char *s, char *buf, size_t size)
{
    pu_buf b = {0};
    pu_buf_escaped(&b, s ? s : "");
    int n = b.failed ? -1 : (int)b.len;
    if (size) snprintf(buf, size, "%s", b.data && !b.failed ? b.data : "");
    pu_buf_free(&b);
    return n;
}

bool perr_full(const parley_error *err)
{
    return err && err->errors >= PARLEY_MAX_ERRORS;
}

parley_status perr_vadd(parley_error *err, parley_severity sev, parley_status status, const char *file,
                        int line, int column, const char *field, const char *fmt, va_list ap)
{
    if (!err) return status;
    if (sev == PARLEY_SEVERITY_ERROR && err->errors >= PARLEY_MAX_ERRORS) {
        err->truncated = true;
        return status;
    }
    if (!pu_grow((void **)&err->items, &err->cap, err->len + 1, sizeof *err->items)) return status;
    parley_diag *d = &err->items[err->len];
    memset(d, 0, sizeof *d);
    d->severity = sev;
    d->status = status;
    d->file = pu_strdup(file);
    d->line = line;
    d->column = column;
    d->field = pu_strdup(field);
    d->message = pu_vasprintf(fmt, ap);
    err->len++;
    if (sev == PARLEY_SEVERITY_ERROR) {
        err->errors++;
        if (err->errors == PARLEY_MAX_ERRORS) {
            /* Say once that we stopped counting, so a user knows more faults may follow. */
            if (pu_grow((void **)&err->items, &err->cap, err->len + 1, sizeof *err->items)) {
                parley_diag *n = &err->items[err->len++];
                memset(n, 0, sizeof *n);
                n->severity = PARLEY_SEVERITY_NOTE;
                n->status = status;
                n->file = pu_strdup(file);
                n->message = pu_asprintf("stopped after %d errors", PARLEY_MAX_ERRORS);
            }
        }
    }
    return status;
}

parley_status perr_add(parley_error *err, parley_severity sev, parley_status status, const char *file,
                       int line, int column, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    parley_status s = perr_vadd(err, sev, status, file, line, column, field, fmt, ap);
    va_end(ap);
    return s;
}
