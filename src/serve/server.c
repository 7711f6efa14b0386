/* server.c - parley serve: a local web UI and a JSON API over the library (libmicrohttpd).
 *
 * Every request is independent: it reads the scenario from its body, runs what it asks, and answers;
 * nothing on disk is touched except the file named on the command line, read once at start. What a
 * request must look like before anything runs (docs/security.md): its Host names this server, its Origin
 * (when sent) is this server's, a POST is application/json, its framing is unambiguous and its query
 * parses strictly. Runs happen in worker processes under the budgets of budget.h (worker.c). */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "budget.h"
#include "worker.h"

/* The assets compiled in from web/ (see cmake/embed.cmake). */
extern const unsigned char web_index_html[], web_app_js[], web_app_css[];
extern const size_t web_index_html_len, web_app_js_len, web_app_css_len;

typedef struct request {
    serve_job job;
    char *body;
    size_t len;
    bool too_big, busy, counted;
} request;

typedef struct server {
    const serve_options *o;
    volatile unsigned port; /* the bound port, set once the daemon listens */
    char *models;           /* GET /api/models: the registry as JSON, built once at start */
} server;

/* API requests between their run and the end of their answer: stopping the server waits for them, so
 * that the runs it stops still get their 503. */
static pthread_mutex_t inflight_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t inflight_done = PTHREAD_COND_INITIALIZER;
static unsigned inflight;

static void count_inflight(int delta)
{
    pthread_mutex_lock(&inflight_lock);
    inflight += (unsigned)delta;
    if (!inflight) pthread_cond_broadcast(&inflight_done);
    pthread_mutex_unlock(&inflight_lock);
}

/* Waits until no API request is in flight, or a few seconds have passed. */
static void drain(void)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 5;
    pthread_mutex_lock(&inflight_lock);
    while (inflight && pthread_cond_timedwait(&inflight_done, &inflight_lock, &until) != ETIMEDOUT) {}
    pthread_mutex_unlock(&inflight_lock);
}

/* Bytes of request bodies held now, over all connections (SERVE_MAX_BUFFERED). */
static pthread_mutex_t buffered_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t buffered;

/* Reserves n more bytes of body, or releases n; returns false when a reservation would pass the budget. */
static bool reserve(size_t n, bool release)
{
    bool ok = true;
    pthread_mutex_lock(&buffered_lock);
    if (release) buffered -= n;
    else if (buffered + n > SERVE_MAX_BUFFERED) ok = false;
    else buffered += n;
    pthread_mutex_unlock(&buffered_lock);
    return ok;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned code, const char *type, const char *body, size_t len, bool copy,
                             const char *allow)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, copy ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_PERSISTENT);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    /* No other site may frame the UI, embed its answers or learn where it was opened from. */
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Content-Security-Policy", "frame-ancestors 'none'");
    MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    if (allow) MHD_add_response_header(r, "Allow", allow);
    enum MHD_Result ret = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result reply_answer(struct MHD_Connection *c, serve_answer *a, const char *allow)
{
    enum MHD_Result r = reply(c, a->status, a->type, a->body ? a->body : "", a->body ? a->len : 0, true, allow);
    free(a->body);
    a->body = NULL;
    return r;
}

static enum MHD_Result reply_error(struct MHD_Connection *c, unsigned code, const char *message, const char *allow)
{
    serve_answer a;
    serve_error(&a, code, message, NULL);
    return reply_answer(c, &a, allow);
}

bool serve_is_loopback(const char *addr)
{
    char buf[64];
    size_t n = strlen(addr);
    if (!strcasecmp(addr, "localhost")) return true;
    if (n >= 2 && n < sizeof buf && addr[0] == '[' && addr[n - 1] == ']') {
        memcpy(buf, addr + 1, n - 2);
        buf[n - 2] = '\0';
        addr = buf;
    }
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, addr, &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, addr, &a6) != 1) return false;
    if (IN6_IS_ADDR_LOOPBACK(&a6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127;
}

/* Parses addr as --bind takes it into an IPv4 or IPv6 socket address (localhost: 127.0.0.1); returns
 * false when it is neither. */
static bool parse_bind(const char *addr, unsigned port, struct sockaddr_in *a4, struct sockaddr_in6 *a6, bool *v6, char *host, size_t cap)
{
    const char *b = !strcasecmp(addr, "localhost") ? "127.0.0.1" : addr;
    size_t n = strlen(b);
    if (n >= 2 && b[0] == '[' && b[n - 1] == ']' && n - 2 < cap) {
        memcpy(host, b + 1, n - 2);
        host[n - 2] = '\0';
    } else if (n < cap) memcpy(host, b, n + 1);
    else return false;
    memset(a4, 0, sizeof *a4);
    memset(a6, 0, sizeof *a6);
    a4->sin_family = AF_INET, a4->sin_port = htons((uint16_t)port);
    a6->sin6_family = AF_INET6, a6->sin6_port = htons((uint16_t)port);
    *v6 = false;
    if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) return true;
    *v6 = true;
    return inet_pton(AF_INET6, host, &a6->sin6_addr) == 1;
}

bool serve_bind_ok(const char *addr)
{
    struct sockaddr_in a4;
    struct sockaddr_in6 a6;
    bool v6;
    char host[64];
    return parse_bind(addr, 0, &a4, &a6, &v6, host, sizeof host);
}

bool serve_host_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (!n || n > 253) return false;
    if (name[0] == '[') {
        char buf[64];
        struct in6_addr a6;
        if (n < 3 || n - 2 >= sizeof buf || name[n - 1] != ']') return false;
        memcpy(buf, name + 1, n - 2);
        buf[n - 2] = '\0';
        return inet_pton(AF_INET6, buf, &a6) == 1;
    }
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_'))
            return false;
    return true;
}

/* Splits "host[:port]" ("[v6][:port]" for IPv6) into host (at most cap bytes with its NUL) and *port
 * (-1 when none). Returns false when malformed. */
static bool split_host(const char *v, char *host, size_t cap, long *port)
{
    const char *colon;
    if (v[0] == '[') {
        const char *close = strchr(v, ']');
        if (!close) return false;
        colon = close[1] == ':' ? close + 1 : NULL;
        if (close[1] && !colon) return false;
    } else colon = strchr(v, ':');
    size_t n = colon ? (size_t)(colon - v) : strlen(v);
    if (!n || n >= cap) return false;
    memcpy(host, v, n);
    host[n] = '\0';
    *port = -1;
    if (colon) {
        const char *p = colon + 1;
        if (!*p || strlen(p) > 5) return false;
        for (const char *q = p; *q; q++)
            if (*q < '0' || *q > '9') return false;
        *port = strtol(p, NULL, 10);
    }
    return serve_host_name_ok(host);
}

/* Returns whether host (no port) names this server as connection c reached it: a name from
 * --allow-host; the address the connection arrived at, as an IP literal; and, when that is a loopback
 * address, localhost, 127.0.0.1 and [::1]. A DNS name an attacker controls is none of these, so a page
 * that rebinds its name to this machine is refused. */
static bool host_is_ours(const server *sv, struct MHD_Connection *c, const char *host)
{
    for (size_t i = 0; i < sv->o->n_allow_hosts; i++)
        if (!strcasecmp(host, sv->o->allow_hosts[i])) return true;
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    struct sockaddr_storage local;
    socklen_t sl = sizeof local;
    if (!ci || getsockname(ci->connect_fd, (struct sockaddr *)&local, &sl) != 0) return false;
    struct in_addr mine4;
    bool v4 = false;
    if (local.ss_family == AF_INET) mine4 = ((struct sockaddr_in *)&local)->sin_addr, v4 = true;
    const struct in6_addr *mine6 = local.ss_family == AF_INET6 ? &((struct sockaddr_in6 *)&local)->sin6_addr : NULL;
    if (mine6 && IN6_IS_ADDR_V4MAPPED(mine6)) memcpy(&mine4, mine6->s6_addr + 12, 4), v4 = true, mine6 = NULL;
    bool loop = (v4 && (ntohl(mine4.s_addr) >> 24) == 127) || (mine6 && IN6_IS_ADDR_LOOPBACK(mine6));
    if (loop && (!strcasecmp(host, "localhost") || !strcmp(host, "127.0.0.1") || !strcmp(host, "[::1]"))) return true;
    struct in_addr h4;
    struct in6_addr h6;
    char buf[64];
    size_t n = strlen(host);
    if (v4 && inet_pton(AF_INET, host, &h4) == 1) return h4.s_addr == mine4.s_addr;
    if (mine6 && host[0] == '[' && n - 2 < sizeof buf) {
        memcpy(buf, host + 1, n - 2);
        buf[n - 2] = '\0';
        return inet_pton(AF_INET6, buf, &h6) == 1 && !memcmp(&h6, mine6, sizeof h6);
    }
    return false;
}

/* Counts the request headers named as ctx's name. */
typedef struct header_count {
    const char *name;
    unsigned n;
} header_count;

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    header_count *h = cls;
    (void)kind, (void)value;
    if (!strcasecmp(key, h->name)) h->n++;
    return MHD_YES;
}

static unsigned headers(struct MHD_Connection *c, const char *name)
{
    header_count h = {name, 0};
    MHD_get_connection_values(c, MHD_HEADER_KIND, count_header, &h);
    return h.n;
}

/* The checks on a request's headers, before its body is read. Returns NULL when it passes, else the
 * status in *code and the message. */
static const char *check_headers(const server *sv, struct MHD_Connection *c, bool get, unsigned *code)
{
    *code = 400;
    unsigned nlen = headers(c, "Content-Length"), nte = headers(c, "Transfer-Encoding");
    const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding");
    if (nlen > 1) return "more than one Content-Length header";
    if (nlen && nte) return "both Content-Length and Transfer-Encoding: the body's length would be ambiguous";
    if (nte > 1 || (te && strcasecmp(te, "chunked"))) return "Transfer-Encoding must be chunked, once";
    if (headers(c, "Host") > 1 || headers(c, "Origin") > 1) return "more than one Host or Origin header";
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    char name[256];
    long port;
    *code = 421;
    if (!host) return "the request has no Host header; it must name this server";
    if (!split_host(host, name, sizeof name, &port) || !host_is_ours(sv, c, name) || (port >= 0 && (unsigned long)port != sv->port))
        return "the Host header does not name this server (its address and port, or a name from --allow-host): refused, as a "
               "page on another site would send it (DNS rebinding)";
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    *code = 403;
    if (origin && (strncmp(origin, "http://", 7) || !split_host(origin + 7, name, sizeof name, &port) || !host_is_ours(sv, c, name) ||
                   (unsigned long)(port >= 0 ? port : 80) != sv->port))
        return "the request comes from a page of another origin: refused (only the server's own page may use the API)";
    /* Fetch metadata: a browser says where a request comes from even when it sends no Origin (a no-cors
     * GET). Only navigation (a link followed, a URL typed) may come from elsewhere: the page it opens is
     * this server's own. */
    const char *site = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site");
    const char *mode = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Mode");
    if (site && strcmp(site, "same-origin") && strcmp(site, "none") && !(get && mode && !strcmp(mode, "navigate")))
        return "the request comes from a page of another site (Sec-Fetch-Site): refused (only the server's own page may use the API)";
    return NULL;
}

/* Parses a whole number from 0 to max written in decimal digits only; returns false otherwise. */
static bool whole(const char *v, uint64_t max, uint64_t *out)
{
    if (!v || !*v) return false;
    uint64_t n = 0;
    for (const char *p = v; *p; p++) {
        if (*p < '0' || *p > '9') return false;
        unsigned d = (unsigned)(*p - '0');
        if (n > (max - d) / 10) return false;
        n = n * 10 + d;
    }
    *out = n;
    return true;
}

typedef struct query_scan {
    serve_query *q;
    char message[300];
    unsigned seen;
} query_scan;

/* Takes one query argument into the query; the first fault is kept in message. */
static enum MHD_Result take_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    query_scan *qs = cls;
    (void)kind;
    if (qs->message[0]) return MHD_YES;
    const char *const *keys = serve_endpoint_keys(qs->q->ep);
    size_t k = 0;
    while (keys[k] && strcmp(keys[k], key)) k++;
    const char *v = value ? value : "";
    uint64_t n;
    if (!keys[k]) snprintf(qs->message, sizeof qs->message, "unknown query parameter \"%.60s\" (docs/api.md lists each endpoint's)", key);
    else if (qs->seen & (1u << k)) snprintf(qs->message, sizeof qs->message, "query parameter \"%s\" given twice", key);
    else if (!strcmp(key, "seed")) {
        if (whole(v, UINT64_MAX, &n)) qs->q->seed = n;
        else snprintf(qs->message, sizeof qs->message, "seed: expected a whole number from 0 to 18446744073709551615, found \"%.60s\"", v);
    } else if (!strcmp(key, "draws")) {
        if (whole(v, SERVE_MAX_DRAWS, &n) && n >= 1) qs->q->draws = (size_t)n;
        else snprintf(qs->message, sizeof qs->message, "draws: expected a whole number from 1 to %d, found \"%.60s\"", SERVE_MAX_DRAWS, v);
    } else if (!strcmp(key, "model")) qs->q->model = v;
    else if (!strcmp(key, "detail")) {
        parley_detail d;
        if (parley_detail_parse(v, &d, NULL) == PARLEY_OK) qs->q->full = d == PARLEY_DETAIL_FULL;
        else snprintf(qs->message, sizeof qs->message, "detail: expected summary, normal or full, found \"%.60s\"", v);
    } else if (!*v) snprintf(qs->message, sizeof qs->message, "%s: expected a value, found none", key);
    else if (!strcmp(key, "threshold")) qs->q->threshold = v;
    else if (!strcmp(key, "chart")) qs->q->chart = v;
    else if (!strcmp(key, "issue")) qs->q->issue = v;
    qs->seen |= 1u << k;
    return MHD_YES;
}

/* Returns whether the Content-Type is application/json (any parameters, such as charset, allowed). */
static bool json_type(const char *type)
{
    static const char want[] = "application/json";
    if (!type || strncasecmp(type, want, sizeof want - 1)) return false;
    const char *rest = type + sizeof want - 1;
    while (*rest == ' ' || *rest == '\t') rest++;
    return !*rest || *rest == ';';
}

/* The first call of a request: every check that needs no body. Returns MHD_YES to read the body, or
 * the result of queuing the refusal (sent before any body is read). */
static enum MHD_Result first_call(server *sv, struct MHD_Connection *c, const char *url, const char *method, request *rq)
{
    unsigned code;
    bool get = !strcmp(method, "GET") || !strcmp(method, "HEAD"), post = !strcmp(method, "POST");
    const char *why = check_headers(sv, c, get, &code);
    if (why) return reply_error(c, code, why, NULL);
    bool page = !strcmp(url, "/") || !strcmp(url, "/index.html") || !strcmp(url, "/app.js") || !strcmp(url, "/app.css") ||
                !strcmp(url, "/api/scenario") || !strcmp(url, "/api/models");
    if (page && !get) return reply_error(c, 405, "this path takes GET (or HEAD)", "GET, HEAD");
    if (page && !strcmp(url, "/api/models") && MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, NULL, NULL) > 0)
        return reply_error(c, 400, "/api/models takes no query parameters (docs/api.md)", NULL);
    if (page) return MHD_YES;
    if (strncmp(url, "/api/", 5)) return reply_error(c, 404, "not found", NULL);
    rq->job.q.ep = serve_endpoint_find(url + 5);
    if (rq->job.q.ep == EP_COUNT)
        return reply_error(c, 404, "no such API: expected scenario, models, forecast, montecarlo, validate, compare or plot", NULL);
    if (!post) return reply_error(c, 405, "use POST with a scenario as the body", "POST");
    if (!json_type(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type")))
        return reply_error(c, 415,
                           "a POST must have Content-Type: application/json (a file in another format goes in a JSON body: "
                           "{\"format\": \"csv\", \"files\": [{\"name\": \"x.csv\", \"data\": \"...\"}]})",
                           NULL);
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    uint64_t len = 0;
    if (cl && !whole(cl, UINT64_MAX, &len)) return reply_error(c, 400, "Content-Length is not a whole number", NULL);
    if (len > SERVE_MAX_BODY) return reply_error(c, 413, "request body over 8 MiB", NULL);
    rq->job.q.seed = 1, rq->job.q.draws = 500;
    query_scan qs = {&rq->job.q, "", 0};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, take_arg, &qs);
    if (qs.message[0]) return reply_error(c, 400, qs.message, NULL);
    return MHD_YES;
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
        return first_call(sv, c, url, method, rq);
    }
    if (*upload_size) {
        if (rq->len + *upload_size > SERVE_MAX_BODY) rq->too_big = true;
        else if (!rq->too_big && !rq->busy) {
            if (!reserve(*upload_size, false)) rq->busy = true;
            else {
                char *grown = realloc(rq->body, rq->len + *upload_size + 1);
                if (!grown) {
                    reserve(*upload_size, true);
                    return MHD_NO;
                }
                rq->body = grown;
                memcpy(rq->body + rq->len, upload, *upload_size);
                rq->len += *upload_size;
                rq->body[rq->len] = '\0';
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (rq->too_big) return reply_error(c, 413, "request body over 8 MiB", NULL);
    if (rq->busy) return reply_error(c, 503, "the server holds too many request bodies at once; try again later", NULL);
    if (!strcmp(url, "/") || !strcmp(url, "/index.html"))
        return reply(c, 200, "text/html; charset=utf-8", (const char *)web_index_html, web_index_html_len, false, NULL);
    if (!strcmp(url, "/app.js")) return reply(c, 200, "text/javascript; charset=utf-8", (const char *)web_app_js, web_app_js_len, false, NULL);
    if (!strcmp(url, "/app.css")) return reply(c, 200, "text/css; charset=utf-8", (const char *)web_app_css, web_app_css_len, false, NULL);
    if (!strcmp(url, "/api/scenario")) return reply(c, 200, "application/json", sv->o->initial, strlen(sv->o->initial), false, NULL);
    if (!strcmp(url, "/api/models")) return reply(c, 200, "application/json", sv->models, strlen(sv->models), false, NULL);
    rq->job.body = rq->body ? rq->body : "";
    rq->job.len = rq->len;
    bool heavy = rq->len > SERVE_SMALL_BODY || (rq->job.q.ep == EP_MONTECARLO && rq->job.q.draws > SERVE_SMALL_DRAWS);
    serve_answer a;
    rq->counted = true;
    count_inflight(1);
    serve_isolated(heavy, &rq->job, &a);
    return reply_answer(c, &a, NULL);
}

static void done_request(void *cls, struct MHD_Connection *c, void **state, enum MHD_RequestTerminationCode code)
{
    (void)cls, (void)c, (void)code;
    request *rq = *state;
    if (rq) {
        if (rq->counted) count_inflight(-1);
        reserve(rq->len, true);
        free(rq->body), free(rq);
    }
    *state = NULL;
}

int serve_run(const serve_options *o)
{
    server sv = {o, o->port, NULL};
    struct sockaddr_in a4;
    struct sockaddr_in6 a6;
    bool v6;
    char host[64];
    if (!parse_bind(o->bind, o->port, &a4, &a6, &v6, host, sizeof host)) {
        fprintf(stderr, "parley serve: --bind expects an IPv4 or IPv6 address or localhost, found \"%s\"\n", o->bind);
        return 2;
    }
    /* The registry's answer, once: it changes only with the build. "suits" is for the scenario the UI
     * opens first (a scenario the UI opens later may differ; every model can still be asked for). */
    parley_scenario *first = NULL;
    parley_read_options ro = {"json", NULL};
    if (o->initial && parley_read_buffer(o->initial, strlen(o->initial), "initial.json", &ro, &first, NULL) != PARLEY_OK)
        first = NULL;
    sv.models = serve_models_json(first);
    parley_scenario_free(first);
    if (!sv.models) {
        fprintf(stderr, "parley serve: out of memory\n");
        return 1;
    }
    if (!serve_workers_init()) {
        free(sv.models);
        return 2; /* the fork server: before the daemon starts any thread */
    }
    /* SIGINT and SIGTERM are taken by sigwait below: blocked before the daemon's threads start, so that
     * none of them takes the signal instead. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0);
    struct MHD_Daemon *d = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, handle, &sv, MHD_OPTION_SOCK_ADDR,
                                            v6 ? (struct sockaddr *)&a6 : (struct sockaddr *)&a4, MHD_OPTION_CONNECTION_LIMIT,
                                            SERVE_MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT, SERVE_IDLE_SECONDS,
                                            MHD_OPTION_NOTIFY_COMPLETED, done_request, NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "parley serve: cannot listen on %s port %u (in use, or not allowed)\n", o->bind, o->port);
        free(sv.models);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    sv.port = info ? info->port : o->port;
    char url[128];
    snprintf(url, sizeof url, v6 ? "http://[%s]:%u/" : "http://%s:%u/", host, sv.port);
    if (!o->quiet) fprintf(stderr, "parley serve: %s (Ctrl-C stops)\n", url);
    printf("listening on %s\n", url);
    fflush(stdout);
    int sig;
    while (sigwait(&stop, &sig) != 0) {}
    serve_workers_stop();
    drain();
    MHD_stop_daemon(d);
    free(sv.models);
    return 0;
}
