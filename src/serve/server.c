/* server.c - parley serve: a local web UI and a JSON API over the library (libmicrohttpd).
 *
 * Every request is independent: it reads the scenario from its body, runs what it asks, and answers;
 * nothing on disk is touched except the file named on the command line, read once at start. Bodies and
 * run sizes are bounded; bad input gets a 400 with the diagnostics, unknown paths a 404. */
#include "server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/util.h"
#include "parley/parley.h"

#define MAX_BODY (8u << 20)
#define MAX_SERVE_DRAWS 20000

/* The assets compiled in from web/ (see cmake/embed.cmake). */
extern const unsigned char web_index_html[], web_app_js[], web_app_css[];
extern const size_t web_index_html_len, web_app_js_len, web_app_css_len;

typedef struct request {
    char *body;
    size_t len;
    bool too_big;
} request;

typedef struct server {
    const char *initial; /* the scenario opened first, as native JSON */
} server;

static enum MHD_Result reply(struct MHD_Connection *c, unsigned code, const char *type, const char *body, size_t len, bool copy)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, copy ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_PERSISTENT);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    enum MHD_Result ret = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return ret;
}

/* Appends text as the inside of a JSON string. */
static void json_text(pu_buf *b, const char *text)
{
    for (const char *p = text; *p; p++) {
        if (*p == '"' || *p == '\\') pu_buf_printf(b, "\\%c", *p);
        else if ((unsigned char)*p < 0x20) pu_buf_printf(b, "\\u%04x", *p);
        else pu_buf_append(b, p, 1);
    }
}

/* Appends err's diagnostics as a JSON list of "file:line:column: severity: field: message" strings. */
static void json_diags(pu_buf *b, const parley_error *err)
{
    pu_buf_puts(b, "[");
    for (size_t i = 0; err && i < parley_error_count(err); i++) {
        char line[2048];
        parley_diag_format(parley_error_at(err, i), line, sizeof line);
        pu_buf_puts(b, i ? ", \"" : "\"");
        json_text(b, line);
        pu_buf_puts(b, "\"");
    }
    pu_buf_puts(b, "]");
}

/* Replies with {"error": message, "diagnostics": [...]} and the given status. */
static enum MHD_Result reply_error(struct MHD_Connection *c, unsigned code, const char *message, const parley_error *err)
{
    pu_buf b = {0};
    pu_buf_puts(&b, "{\"error\": \"");
    json_text(&b, message);
    pu_buf_puts(&b, "\", \"diagnostics\": ");
    json_diags(&b, err);
    pu_buf_puts(&b, "}\n");
    char *text = pu_buf_take(&b);
    enum MHD_Result r = reply(c, code, "application/json", text ? text : "{}", text ? strlen(text) : 2, true);
    free(text);
    return r;
}

/* Returns a query argument, or def. */
static const char *arg(struct MHD_Connection *c, const char *key, const char *def)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, key);
    return v && *v ? v : def;
}

/* Reads the body as a scenario; on failure replies 400 and returns NULL. */
static parley_scenario *body_scenario(struct MHD_Connection *c, const request *rq, parley_error *err, enum MHD_Result *ret)
{
    parley_scenario *s = NULL;
    parley_read_options o = {"json", NULL};
    if (!rq->len) {
        *ret = reply_error(c, 400, "expected a scenario in parley's JSON format as the request body", NULL);
        return NULL;
    }
    if (parley_read_buffer(rq->body, rq->len, "request.json", &o, &s, err) != PARLEY_OK) {
        *ret = reply_error(c, 400, "the scenario is not valid", err);
        return NULL;
    }
    return s;
}

static parley_plan *query_plan(struct MHD_Connection *c, const parley_scenario *s, parley_error *err, enum MHD_Result *ret)
{
    parley_plan *p = NULL;
    const char *spec = arg(c, "model", NULL);
    if (spec ? parley_plan_parse(&p, spec, err) != PARLEY_OK : !(p = parley_plan_default(s))) {
        *ret = reply_error(c, 400, "bad model SPEC", err);
        parley_plan_free(p);
        return NULL;
    }
    return p;
}

static uint64_t query_seed(struct MHD_Connection *c)
{
    return strtoull(arg(c, "seed", "1"), NULL, 10);
}

static enum MHD_Result api(struct MHD_Connection *c, const char *what, const request *rq)
{
    enum MHD_Result ret = MHD_NO;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    parley_plan *p = NULL;
    if (!err) return reply_error(c, 500, "out of memory", NULL);
    if (!strcmp(what, "validate")) {
        parley_read_options o = {"json", NULL};
        bool ok = rq->len && parley_read_buffer(rq->body, rq->len, "request.json", &o, &s, err) == PARLEY_OK;
        pu_buf b = {0};
        pu_buf_printf(&b, "{\"valid\": %s, \"actors\": %zu, \"issues\": %zu, \"diagnostics\": ", ok ? "true" : "false",
                      s ? parley_scenario_actor_count(s) : 0, s ? parley_scenario_issue_count(s) : 0);
        json_diags(&b, err);
        pu_buf_puts(&b, "}\n");
        char *text = pu_buf_take(&b);
        ret = reply(c, 200, "application/json", text ? text : "{}", text ? strlen(text) : 2, true);
        free(text);
        goto done;
    }
    if (!(s = body_scenario(c, rq, err, &ret)) || !(p = query_plan(c, s, err, &ret))) goto done;
    parley_error_clear(err);
    char *out = NULL;
    const char *type = "application/json";
    if (!strcmp(what, "forecast")) {
        parley_result *r = parley_run(s, p, query_seed(c), err);
        if (r) out = parley_report(s, r, "json", err);
        parley_result_free(r);
    } else if (!strcmp(what, "plot")) {
        size_t issue = SIZE_MAX;
        const char *id = arg(c, "issue", NULL);
        if (id && !parley_scenario_find_issue(s, id, &issue)) {
            ret = reply_error(c, 400, "unknown issue", NULL);
            goto done;
        }
        parley_result *r = parley_run(s, p, query_seed(c), err);
        if (r) out = parley_chart(s, r, NULL, NULL, NULL, arg(c, "chart", "forecast"), issue, err);
        parley_result_free(r);
        type = "image/svg+xml";
    } else if (!strcmp(what, "montecarlo")) {
        long draws = strtol(arg(c, "draws", "500"), NULL, 10);
        if (draws < 1 || draws > MAX_SERVE_DRAWS) {
            ret = reply_error(c, 400, "draws must be from 1 to 20000", NULL);
            goto done;
        }
        parley_mc *mc = parley_mc_new(s, p, (size_t)draws, query_seed(c), err);
        parley_mc_options o = {1, NULL, NULL, NULL}; /* one thread per request: the server runs requests in parallel */
        const char *th = arg(c, "threshold", NULL);
        if (mc && parley_mc_run(mc, 0, 1, &o, err) == PARLEY_OK) out = parley_mc_report(mc, "json", th ? &th : NULL, th ? 1 : 0, err);
        parley_mc_free(mc);
    } else if (!strcmp(what, "compare")) {
        size_t nv = parley_variant_count(s);
        parley_scenario **vs = calloc(nv ? nv : 1, sizeof *vs);
        parley_result **vr = calloc(nv ? nv : 1, sizeof *vr);
        parley_result *base = vs && vr ? parley_run(s, p, query_seed(c), err) : NULL;
        bool ok = base != NULL;
        for (size_t v = 0; ok && v < nv; v++)
            ok = parley_scenario_variant(s, v, &vs[v], err) == PARLEY_OK && (vr[v] = parley_run(vs[v], p, query_seed(c), err));
        if (ok)
            out = parley_compare_report(s, base, (const parley_scenario *const *)vs, (const parley_result *const *)vr, nv, "json", err);
        for (size_t v = 0; v < nv && vs && vr; v++) parley_scenario_free(vs[v]), parley_result_free(vr[v]);
        free(vs), free(vr);
        parley_result_free(base);
    } else {
        ret = reply_error(c, 404, "no such API: expected forecast, montecarlo, validate, compare or plot", NULL);
        goto done;
    }
    if (!out) ret = reply_error(c, parley_error_status(err) == PARLEY_E_USAGE ? 400 : 500, "the run failed", err);
    else ret = reply(c, 200, type, out, strlen(out), true);
    free(out);
done:
    parley_plan_free(p);
    parley_scenario_free(s);
    parley_error_free(err);
    return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method, const char *version,
                              const char *upload, size_t *upload_size, void **state)
{
    server *sv = cls;
    (void)version;
    request *rq = *state;
    if (!rq) {
        if (!(rq = calloc(1, sizeof *rq))) return MHD_NO;
        *state = rq;
        return MHD_YES;
    }
    if (*upload_size) {
        if (rq->len + *upload_size > MAX_BODY) rq->too_big = true;
        else {
            char *grown = realloc(rq->body, rq->len + *upload_size + 1);
            if (!grown) return MHD_NO;
            rq->body = grown;
            memcpy(rq->body + rq->len, upload, *upload_size);
            rq->len += *upload_size;
            rq->body[rq->len] = '\0';
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (rq->too_big) return reply_error(c, 413, "request body over 8 MiB", NULL);
    bool get = !strcmp(method, "GET") || !strcmp(method, "HEAD"), post = !strcmp(method, "POST");
    if (get && (!strcmp(url, "/") || !strcmp(url, "/index.html")))
        return reply(c, 200, "text/html; charset=utf-8", (const char *)web_index_html, web_index_html_len, false);
    if (get && !strcmp(url, "/app.js")) return reply(c, 200, "text/javascript; charset=utf-8", (const char *)web_app_js, web_app_js_len, false);
    if (get && !strcmp(url, "/app.css")) return reply(c, 200, "text/css; charset=utf-8", (const char *)web_app_css, web_app_css_len, false);
    if (get && !strcmp(url, "/api/scenario")) return reply(c, 200, "application/json", sv->initial, strlen(sv->initial), false);
    if (!strncmp(url, "/api/", 5)) {
        if (!post) return reply_error(c, 405, "use POST with a scenario as the body", NULL);
        return api(c, url + 5, rq);
    }
    return reply_error(c, 404, "not found", NULL);
}

static void done_request(void *cls, struct MHD_Connection *c, void **state, enum MHD_RequestTerminationCode code)
{
    (void)cls, (void)c, (void)code;
    request *rq = *state;
    if (rq) free(rq->body), free(rq);
    *state = NULL;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

int serve_run(const char *initial_json, const char *bind_addr, unsigned port, bool quiet)
{
    server sv = {initial_json};
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, bind_addr, &addr.sin_addr) != 1) {
        fprintf(stderr, "parley serve: --bind expects an IPv4 address, found \"%s\"\n", bind_addr);
        return 2;
    }
    struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, (uint16_t)port, NULL, NULL, handle, &sv,
                                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, 4u,
                                            MHD_OPTION_CONNECTION_LIMIT, 256u, MHD_OPTION_CONNECTION_TIMEOUT, 60u,
                                            MHD_OPTION_NOTIFY_COMPLETED, done_request, NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "parley serve: cannot listen on %s:%u (in use, or not allowed)\n", bind_addr, port);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned actual = info ? info->port : port;
    if (!quiet) fprintf(stderr, "parley serve: http://%s:%u/ (Ctrl-C stops)\n", bind_addr, actual);
    printf("listening on http://%s:%u/\n", bind_addr, actual);
    fflush(stdout);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    while (!stop) pause();
    MHD_stop_daemon(d);
    return 0;
}
