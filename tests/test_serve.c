/* test_serve.c - parley serve over raw sockets: it answers only requests that name it (Host), come from
 * its own page (Origin) and carry JSON; it parses queries and framing strictly; it keeps its budgets (a
 * 400 before a run too big, a 503 past the time budget, a 413 past the answer budget); and it answers
 * the page while heavy runs are queued. Each test starts `parley serve --port 0` (the binary next to this
 * one) and talks HTTP/1.1 to it byte by byte. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define FLAGSHIP PARLEY_TEST_DATA "/../../examples/jeddah-2025.json"

typedef struct server {
    pid_t pid;
    unsigned port;
    bool v6;
} server;

static char parley[4096];
static pid_t live; /* the server a test started and has not stopped: the teardown kills it */

static int kill_live(void **state)
{
    (void)state;
    if (live > 0) kill(live, SIGKILL), waitpid(live, NULL, 0);
    live = 0;
    return 0;
}

/* Returns the formatted text (malloc'd). */
static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *b = malloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(b, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return b;
}

/* The parley binary: next to this test's own. */
static int find_parley(void **state)
{
    (void)state;
    ssize_t n = readlink("/proc/self/exe", parley, sizeof parley - 16);
    if (n <= 0) return -1;
    parley[n] = '\0';
    char *slash = strrchr(parley, '/');
    strcpy(slash + 1, "parley");
    return access(parley, X_OK);
}

/* Starts parley serve --port 0 --quiet with the extra arguments (NULL-terminated) and, when env is not
 * NULL, the environment variable env ("NAME=value"). */
static server start(const char *env, const char *const *extra)
{
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        const char *argv[16] = {parley, "serve", "--port", "0", "--quiet"};
        size_t n = 5;
        for (size_t i = 0; extra && extra[i] && n < 15; i++) argv[n++] = extra[i];
        argv[n] = NULL;
        if (env) {
            char name[64];
            const char *eq = strchr(env, '=');
            snprintf(name, sizeof name, "%.*s", (int)(eq - env), env);
            setenv(name, eq + 1, 1);
        }
        dup2(fd[1], 1);
        close(fd[0]);
        execv(parley, (char *const *)argv);
        _exit(127);
    }
    close(fd[1]);
    live = pid;
    char line[256] = "";
    size_t got = 0;
    while (got < sizeof line - 1 && read(fd[0], line + got, 1) == 1 && line[got] != '\n') got++;
    close(fd[0]);
    char *colon = strrchr(line, ':');
    server s = {pid, colon ? (unsigned)atoi(colon + 1) : 0, strstr(line, "[") != NULL};
    if (!s.port) fail_msg("the server did not start: \"%s\"", line);
    return s;
}

/* Stops the server with SIGTERM; it must exit 0. */
static void stop(server s)
{
    int status;
    kill(s.pid, SIGTERM);
    assert_int_equal(waitpid(s.pid, &status, 0), s.pid);
    live = 0;
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* Opens a connection to the server, with a 30 s receive timeout so that a server that waits forever
 * fails the test instead of hanging it. */
static int connect_to(server s)
{
    int fd = socket(s.v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct timeval tv = {30, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int rc;
    if (s.v6) {
        struct sockaddr_in6 a = {0};
        a.sin6_family = AF_INET6;
        a.sin6_port = htons((uint16_t)s.port);
        a.sin6_addr = in6addr_loopback;
        rc = connect(fd, (struct sockaddr *)&a, sizeof a);
    } else {
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET;
        a.sin_port = htons((uint16_t)s.port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        rc = connect(fd, (struct sockaddr *)&a, sizeof a);
    }
    assert_int_equal(rc, 0);
    return fd;
}

static void send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        assert_true(w > 0);
        p += w, n -= (size_t)w;
    }
}

/* Reads the whole response (until the server closes); returns it (malloc'd) and sets *status. */
static char *receive(int fd, int *status)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    ssize_t r;
    while ((r = read(fd, buf + n, cap - n)) > 0) {
        n += (size_t)r;
        if (n == cap) buf = realloc(buf, (cap *= 2) + 1);
    }
    buf[n] = '\0';
    close(fd);
    *status = n > 12 && !strncmp(buf, "HTTP/1.", 7) ? atoi(buf + 9) : 0;
    return buf;
}

/* Sends head (the request line and headers, without the blank line; "Connection: close" is added) and
 * body; returns the response and sets *status. */
static char *request(server s, const char *head, const char *body, size_t len, int *status)
{
    int fd = connect_to(s);
    char *h = format("%s\r\nConnection: close\r\n\r\n", head);
    send_all(fd, h, strlen(h));
    free(h);
    if (len) send_all(fd, body, len);
    return receive(fd, status);
}

/* Returns the status of head + body, freeing the response; the body of the answer must mention want
 * when want is not NULL. */
static int status_of(server s, const char *head, const char *body, size_t len, const char *want)
{
    int status;
    char *r = request(s, head, body, len, &status);
    if (want && !strstr(r, want)) fail_msg("expected \"%s\" in the answer to\n%s\n---\n%s", want, head, r);
    free(r);
    return status;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* POSTs the flagship to path with the given extra headers (each ending in \r\n, or ""); returns the
 * status. */
static int post_flagship(server s, const char *path, const char *host, const char *headers, const char *want)
{
    size_t len;
    char *body = slurp(FLAGSHIP, &len);
    char *head = format("POST %s HTTP/1.1\r\nHost: %s\r\n%sContent-Length: %zu", path, host, headers, len);
    int st = status_of(s, head, body, len, want);
    free(head), free(body);
    return st;
}

static const char json[] = "Content-Type: application/json\r\n";

static void a_foreign_host_is_refused_with_421(void **state)
{
    (void)state;
    server s = start(NULL, NULL);
    char wrong_port[64];
    snprintf(wrong_port, sizeof wrong_port, "127.0.0.1:%u", s.port == 1 ? 2 : 1);
    /* DNS rebinding: the attacker's name now points here, and the browser sends it as the Host. */
    assert_int_equal(status_of(s, "GET /api/scenario HTTP/1.1\r\nHost: attacker.example", NULL, 0, "Host"), 421);
    assert_int_equal(status_of(s, "GET / HTTP/1.1\r\nHost: attacker.example:8080", NULL, 0, "Host"), 421);
    assert_int_equal(post_flagship(s, "/api/forecast", "attacker.example", json, "Host"), 421);
    assert_int_equal(status_of(s, "GET /api/scenario HTTP/1.1\r\nHost: 127.0.0.2", NULL, 0, NULL), 421);
    assert_int_equal(status_of(s, "GET /api/scenario HTTP/1.1\r\nHost: localhost.", NULL, 0, NULL), 421);
    char head[128];
    snprintf(head, sizeof head, "GET /api/scenario HTTP/1.1\r\nHost: %s", wrong_port);
    assert_int_equal(status_of(s, head, NULL, 0, NULL), 421);
    assert_int_equal(status_of(s, "GET /api/scenario HTTP/1.0", NULL, 0, "no Host"), 421);
    assert_int_equal(status_of(s, "GET /api/scenario HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: attacker.example", NULL, 0, NULL), 400);
    stop(s);
}

static void the_loopback_names_are_accepted_with_or_without_the_port(void **state)
{
    (void)state;
    server s = start(NULL, NULL);
    const char *names[] = {"127.0.0.1", "localhost", "LocalHost", "[::1]"};
    for (size_t i = 0; i < 4; i++) {
        char head[128];
        snprintf(head, sizeof head, "GET /api/scenario HTTP/1.1\r\nHost: %s", names[i]);
        assert_int_equal(status_of(s, head, NULL, 0, "\"actors\""), 200);
        snprintf(head, sizeof head, "GET /api/scenario HTTP/1.1\r\nHost: %s:%u", names[i], s.port);
        assert_int_equal(status_of(s, head, NULL, 0, "\"actors\""), 200);
    }
    stop(s);
}

static void allow_host_adds_a_name(void **state)
{
    (void)state;
    const char *extra[] = {"--allow-host", "parley.lan", "--allow-host", "10.1.2.3", NULL};
    server s = start(NULL, extra);
    char host[64], origin[96];
    snprintf(host, sizeof host, "parley.lan:%u", s.port);
    snprintf(origin, sizeof origin, "Content-Type: application/json\r\nOrigin: http://parley.lan:%u\r\n", s.port);
    assert_int_equal(post_flagship(s, "/api/forecast?model=compromise", host, origin, "\"forecasts\""), 200);
    assert_int_equal(post_flagship(s, "/api/forecast?model=compromise", "10.1.2.3", json, "\"forecasts\""), 200);
    assert_int_equal(post_flagship(s, "/api/forecast?model=compromise", "other.lan", json, "Host"), 421);
    stop(s);
    /* Without the option the same name is refused. */
    s = start(NULL, NULL);
    assert_int_equal(post_flagship(s, "/api/forecast?model=compromise", host, json, "Host"), 421);
    stop(s);
}

static void a_foreign_origin_is_refused_with_403(void **state)
{
    (void)state;
    server s = start(NULL, NULL);
    char hdr[160];
    char *foreign[] = {format("http://attacker.example"), format("null"), format("http://127.0.0.1"), format("https://127.0.0.1:%u", s.port),
                       format("http://127.0.0.1:%u.attacker.example", s.port), format("http://localhost:%u", s.port == 1 ? 2 : 1),
                       format("http://attacker.example:%u", s.port)};
    for (size_t i = 0; i < sizeof foreign / sizeof *foreign; i++) {
        snprintf(hdr, sizeof hdr, "Content-Type: application/json\r\nOrigin: %s\r\n", foreign[i]);
        free(foreign[i]);
        assert_int_equal(post_flagship(s, "/api/forecast?model=compromise", "127.0.0.1", hdr, "origin"), 403);
    }
    /* Also a GET: another page cannot read the scenario through a no-cors request either. */
    assert_int_equal(status_of(s, "GET /api/scenario HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://attacker.example", NULL, 0, NULL), 403);
    /* What the browser says of a request that carries no Origin (a no-cors GET): only a navigation may
     * come from another site. */
    assert_int_equal(status_of(s, "GET /api/scenario HTTP/1.1\r\nHost: 127.0.0.1\r\nSec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: no-cors", NULL, 0,
                               "another site"),
                     403);
    assert_int_equal(status_of(s, "GET /api/scenario HTTP/1.1\r\nHost: 127.0.0.1\r\nSec-Fetch-Site: same-site\r\nSec-Fetch-Mode: cors", NULL, 0, NULL), 403);
    assert_int_equal(status_of(s, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nSec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: navigate", NULL, 0, "<html"), 200);
    assert_int_equal(status_of(s, "GET /api/scenario HTTP/1.1\r\nHost: 127.0.0.1\r\nSec-Fetch-Site: same-origin\r\nSec-Fetch-Mode: cors", NULL, 0, "\"actors\""), 200);
    /* The server's own page, under each of its names. */
    snprintf(hdr, sizeof hdr, "Content-Type: application/json\r\nOrigin: http://127.0.0.1:%u\r\n", s.port);
    assert_int_equal(post_flagship(s, "/api/forecast?model=compromise", "127.0.0.1", hdr, "\"forecasts\""), 200);
    snprintf(hdr, sizeof hdr, "Content-Type: application/json\r\nOrigin: http://localhost:%u\r\n", s.port);
    assert_int_equal(post_flagship(s, "/api/forecast?model=compromise", "localhost", hdr, "\"forecasts\""), 200);
    stop(s);
}

static void a_post_that_is_not_json_is_refused_with_415(void **state)
{
    (void)state;
    server s = start(NULL, NULL);
    /* What a form or a "simple" cross-site fetch can send without a preflight. */
    const char *types[] = {"Content-Type: text/plain\r\n", "Content-Type: application/x-www-form-urlencoded\r\n",
                           "Content-Type: multipart/form-data; boundary=x\r\n", "", "Content-Type: application/jsonp\r\n",
                           "Content-Type: text/plain; a=application/json\r\n"};
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        assert_int_equal(post_flagship(s, "/api/forecast?model=compromise", "127.0.0.1", types[i], "application/json"), 415);
    assert_int_equal(post_flagship(s, "/api/forecast?model=compromise", "127.0.0.1", "Content-Type: Application/JSON; charset=utf-8\r\n",
                                   "\"forecasts\""),
                     200);
    stop(s);
}

static void queries_parse_strictly(void **state)
{
    (void)state;
    server s = start(NULL, NULL);
    const char *bad[] = {"/api/forecast?seed=abc", "/api/forecast?seed=", "/api/forecast?seed=-1", "/api/forecast?seed=18446744073709551616",
                         "/api/montecarlo?draws=1e4", "/api/montecarlo?draws=500abc", "/api/montecarlo?draws=0",
                         "/api/montecarlo?draws=20001", "/api/montecarlo?draws=%2B5", "/api/forecast?draws=5", "/api/forecast?nosuch=1",
                         "/api/forecast?seed=1&seed=2", "/api/plot?chart=", "/api/montecarlo?threshold",
                         "/api/forecast?detail=most", "/api/forecast?detail=", "/api/montecarlo?detail=full"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (post_flagship(s, bad[i], "127.0.0.1", json, "\"error\"") != 400) fail_msg("%s is not a 400", bad[i]);
    assert_int_equal(post_flagship(s, "/api/forecast?model=compromise&seed=12345678901234", "127.0.0.1", json, "\"seed\": 12345678901234"),
                     200);
    assert_int_equal(post_flagship(s, "/api/montecarlo?model=compromise&draws=7", "127.0.0.1", json, "\"completed\": 7"), 200);
    stop(s);
}

static void a_model_option_naming_a_file_is_refused(void **state)
{
    (void)state;
    server s = start(NULL, NULL);
    /* A web page may not make the server read the user's files through ensemble,params=FILE. */
    assert_int_equal(post_flagship(s, "/api/forecast?model=ensemble,params=/etc/passwd", "127.0.0.1", json, "names a file"), 400);
    assert_int_equal(post_flagship(s, "/api/forecast?model=ensemble", "127.0.0.1", json, "\"quantiles\""), 200);
    stop(s);
}

static void a_wrong_method_gets_405_with_an_allow_header(void **state)
{
    (void)state;
    server s = start(NULL, NULL);
    int st;
    char *r = request(s, "GET /api/forecast HTTP/1.1\r\nHost: 127.0.0.1", NULL, 0, &st);
    assert_int_equal(st, 405);
    assert_non_null(strstr(r, "\r\nAllow: POST\r\n"));
    free(r);
    r = request(s, "OPTIONS /api/forecast HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://127.0.0.1", NULL, 0, &st);
    assert_int_equal(st, 403); /* a preflight from another page */
    free(r);
    r = request(s, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2", "{}", 2, &st);
    assert_int_equal(st, 405);
    assert_non_null(strstr(r, "\r\nAllow: GET, HEAD\r\n"));
    free(r);
    r = request(s, "PUT /api/scenario HTTP/1.1\r\nHost: 127.0.0.1", NULL, 0, &st);
    assert_int_equal(st, 405);
    assert_non_null(strstr(r, "\r\nAllow: GET, HEAD\r\n"));
    free(r);
    stop(s);
}

static void ambiguous_framing_is_a_400(void **state)
{
    (void)state;
    server s = start(NULL, NULL);
    const char *body = "{}";
    assert_int_equal(status_of(s, "POST /api/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 2",
                               body, 2, "Content-Length"),
                     400);
    assert_int_equal(status_of(s, "POST /api/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 7",
                               body, 2, "Content-Length"),
                     400);
    assert_int_equal(status_of(s, "POST /api/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 7\r\n"
                                  "Transfer-Encoding: chunked",
                               "2\r\n{}\r\n0\r\n\r\n", 12, "Transfer-Encoding"),
                     400);
    assert_int_equal(status_of(s, "POST /api/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked",
                               "2\r\n{}\r\n0\r\n\r\n", 12, "Transfer-Encoding"),
                     400);
    /* Chunked alone is fine. */
    assert_int_equal(status_of(s, "POST /api/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked",
                               "2\r\n{}\r\n0\r\n\r\n", 12, "\"valid\": false"),
                     200);
    stop(s);
}

static void refusals_come_before_the_body_is_read(void **state)
{
    (void)state;
    server s = start(NULL, NULL);
    /* The headers promise a megabyte that never comes: the answer must not wait for it. */
    const char *heads[] = {"POST /api/nosuch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000000",
                           "POST /api/forecast HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 1000000",
                           "POST /api/forecast HTTP/1.1\r\nHost: attacker.example\r\nContent-Type: application/json\r\nContent-Length: 1000000",
                           "POST /api/forecast HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 9000000"};
    const int want[] = {404, 415, 421, 413};
    for (size_t i = 0; i < 4; i++) assert_int_equal(status_of(s, heads[i], NULL, 0, "\"error\""), want[i]);
    stop(s);
}

/* A scenario of n actors on k issues, as native JSON (malloc'd). */
static char *wide_scenario(int n, int k, size_t *len)
{
    size_t cap = (size_t)n * (size_t)k * 80 + 4096, at = 0;
    char *b = malloc(cap);
    at += (size_t)snprintf(b + at, cap - at, "{\"schema_version\": 1, \"name\": \"wide\", \"issues\": [");
    for (int i = 0; i < k; i++) at += (size_t)snprintf(b + at, cap - at, "%s{\"id\": \"i%d\", \"low\": 0, \"high\": 100}", i ? ", " : "", i);
    at += (size_t)snprintf(b + at, cap - at, "], \"actors\": [");
    for (int a = 0; a < n; a++) at += (size_t)snprintf(b + at, cap - at, "%s{\"id\": \"a%d\", \"capability\": %d}", a ? ", " : "", a, 1 + a % 97);
    at += (size_t)snprintf(b + at, cap - at, "], \"stances\": [");
    for (int a = 0; a < n; a++)
        for (int i = 0; i < k; i++)
            at += (size_t)snprintf(b + at, cap - at, "%s{\"actor\": \"a%d\", \"issue\": \"i%d\", \"position\": %d, \"salience\": 0.%d}",
                                   a || i ? ", " : "", a, i, (a * 37 + i * 11) % 101, 1 + (a + i) % 9);
    at += (size_t)snprintf(b + at, cap - at, "]}");
    *len = at;
    return b;
}

static void a_run_too_big_to_answer_is_refused_with_400_before_it_starts(void **state)
{
    (void)state;
    server s = start(NULL, NULL);
    size_t len;
    char *body = wide_scenario(860, 3, &len); /* about 200 KB: bdm's whole pressure map would be 1.4 GB of JSON */
    assert_true(len > 150000 && len < 300000);
    char head[256];
    snprintf(head, sizeof head, "POST /api/forecast?model=bdm&detail=full HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Length: %zu", json, len);
    assert_int_equal(status_of(s, head, body, len, "pressure map"), 400);
    snprintf(head, sizeof head, "POST /api/plot?model=bdm&chart=pressure&detail=full HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Length: %zu", json, len);
    assert_int_equal(status_of(s, head, body, len, "pressure map"), 400);
    /* The default, bounded map grows as actors x rounds: the same run is answered. */
    snprintf(head, sizeof head, "POST /api/forecast?model=bdm HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Length: %zu", json, len);
    assert_int_equal(status_of(s, head, body, len, "\"challenges_left_out\""), 200);
    snprintf(head, sizeof head, "POST /api/forecast?model=smp,max_turns=10000 HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Length: %zu", json, len);
    assert_int_equal(status_of(s, head, body, len, "rounds"), 400);
    snprintf(head, sizeof head, "POST /api/montecarlo?model=compromise&draws=20000 HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Length: %zu", json, len);
    assert_int_equal(status_of(s, head, body, len, "draws"), 400);
    /* The same scenario with a model whose answer stays small runs. */
    snprintf(head, sizeof head, "POST /api/forecast?model=compromise HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Length: %zu", json, len);
    assert_int_equal(status_of(s, head, body, len, "\"forecasts\""), 200);
    free(body);
    stop(s);
}

static void an_answer_over_the_byte_budget_is_a_413(void **state)
{
    (void)state;
    server s = start("PARLEY_SERVE_ANSWER_BYTES=100000", NULL);
    /* The flagship's forecast is 0.5 MB (0.9 MB with detail=full); compromise alone is small. */
    assert_int_equal(post_flagship(s, "/api/forecast", "127.0.0.1", json, "budget"), 413);
    assert_int_equal(post_flagship(s, "/api/forecast?model=compromise", "127.0.0.1", json, "\"forecasts\""), 200);
    stop(s);
}

static void a_run_past_the_time_budget_is_stopped_with_503(void **state)
{
    (void)state;
    server s = start("PARLEY_SERVE_SECONDS=1", NULL);
    assert_int_equal(post_flagship(s, "/api/montecarlo?draws=20000", "127.0.0.1", json, "time budget"), 503);
    /* The server goes on answering. */
    assert_int_equal(post_flagship(s, "/api/forecast?model=compromise", "127.0.0.1", json, "\"forecasts\""), 200);
    stop(s);
}

static void a_run_past_the_memory_budget_fails_with_503(void **state)
{
    (void)state;
#if defined(__SANITIZE_ADDRESS__)
    skip(); /* AddressSanitizer builds leave the address space uncapped */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    skip();
#endif
#endif
    server s = start("PARLEY_SERVE_MEMORY_BYTES=4000000", NULL);
    /* 20,000 draws keep 20,000 rows of inputs and outputs: more than 4 MB. */
    assert_int_equal(post_flagship(s, "/api/montecarlo?model=compromise&draws=20000", "127.0.0.1", json, "memory"), 503);
    assert_int_equal(post_flagship(s, "/api/montecarlo?model=compromise&draws=10", "127.0.0.1", json, "\"completed\": 10"), 200);
    stop(s);
}

static void the_page_and_small_requests_are_answered_while_heavy_runs_wait(void **state)
{
    (void)state;
    server s = start(NULL, NULL);
    size_t len;
    char *body = slurp(FLAGSHIP, &len);
    int heavy[4];
    char *head = format("POST /api/montecarlo?draws=20000 HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Length: %zu\r\nConnection: close\r\n\r\n", json, len);
    for (int i = 0; i < 4; i++) {
        heavy[i] = connect_to(s);
        send_all(heavy[i], head, strlen(head));
        send_all(heavy[i], body, len);
    }
    /* Two run, two wait for a worker; meanwhile the page, its script and a small forecast answer. */
    assert_int_equal(status_of(s, "GET / HTTP/1.1\r\nHost: 127.0.0.1", NULL, 0, "<html"), 200);
    assert_int_equal(status_of(s, "GET /app.js HTTP/1.1\r\nHost: 127.0.0.1", NULL, 0, NULL), 200);
    assert_int_equal(post_flagship(s, "/api/forecast?model=compromise", "127.0.0.1", json, "\"forecasts\""), 200);
    for (int i = 0; i < 4; i++) {
        struct pollfd p = {heavy[i], POLLIN, 0};
        assert_int_equal(poll(&p, 1, 0), 0); /* still running or queued: no answer yet */
    }
    /* Stopping the server stops the runs: the running and the queued get a 503. */
    kill(s.pid, SIGTERM);
    for (int i = 0; i < 4; i++) {
        int st;
        free(receive(heavy[i], &st));
        assert_int_equal(st, 503);
    }
    int status;
    assert_int_equal(waitpid(s.pid, &status, 0), s.pid);
    live = 0;
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    free(head), free(body);
}

static void more_requests_than_workers_all_get_the_same_answer(void **state)
{
    (void)state;
    server s = start(NULL, NULL);
    size_t len;
    char *body = slurp(FLAGSHIP, &len);
    char *head = format("POST /api/forecast?model=compromise,bdm HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Length: %zu\r\nConnection: close\r\n\r\n", json, len);
    int fd[12];
    for (int i = 0; i < 12; i++) {
        fd[i] = connect_to(s);
        send_all(fd[i], head, strlen(head));
        send_all(fd[i], body, len);
    }
    char *first = NULL;
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 12; i++) {
            int st;
            if (round) { /* again, on the workers the first round left */
                fd[i] = connect_to(s);
                send_all(fd[i], head, strlen(head));
                send_all(fd[i], body, len);
            }
            char *r = receive(fd[i], &st);
            assert_int_equal(st, 200);
            char *b = strstr(r, "\r\n\r\n");
            assert_non_null(b);
            if (!first) first = strdup(b);
            else assert_string_equal(b, first);
            free(r);
        }
    assert_non_null(strstr(first, "\"forecasts\""));
    free(first), free(head), free(body);
    stop(s);
}

static void a_file_in_another_format_travels_in_a_json_envelope(void **state)
{
    (void)state;
    server s = start(NULL, NULL);
    const char *env = "{\"format\": \"csv\", \"files\": [{\"name\": \"three.csv\", \"data\": "
                      "\"actor,issue,position,salience,capability\\na,x,10,1,1\\nb,x,50,1,1\\nc,x,90,1,2\\n\"}]}";
    char head[256];
    snprintf(head, sizeof head, "POST /api/forecast?model=compromise HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Length: %zu", json, strlen(env));
    assert_int_equal(status_of(s, head, env, strlen(env), "\"path\": \"three.csv\""), 200);
    const char *bad = "{\"format\": \"csv\", \"files\": [], \"extra\": 1}";
    snprintf(head, sizeof head, "POST /api/forecast HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Length: %zu", json, strlen(bad));
    assert_int_equal(status_of(s, head, bad, strlen(bad), "unknown key"), 400);
    stop(s);
}

static void ipv6_loopback_and_localhost_bind_without_allow_remote(void **state)
{
    (void)state;
    const char *v6[] = {"--bind", "::1", NULL};
    int probe = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 a = {0};
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_loopback;
    bool have_v6 = probe >= 0 && bind(probe, (struct sockaddr *)&a, sizeof a) == 0;
    if (probe >= 0) close(probe);
    if (have_v6) {
        server s = start(NULL, v6);
        assert_true(s.v6);
        assert_int_equal(status_of(s, "GET /api/scenario HTTP/1.1\r\nHost: [::1]", NULL, 0, "\"actors\""), 200);
        assert_int_equal(status_of(s, "GET /api/scenario HTTP/1.1\r\nHost: attacker.example", NULL, 0, NULL), 421);
        stop(s);
    }
    const char *lh[] = {"--bind", "localhost", NULL};
    server s = start(NULL, lh);
    assert_int_equal(status_of(s, "GET /api/scenario HTTP/1.1\r\nHost: localhost", NULL, 0, "\"actors\""), 200);
    stop(s);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(a_foreign_host_is_refused_with_421, kill_live),
        cmocka_unit_test_teardown(the_loopback_names_are_accepted_with_or_without_the_port, kill_live),
        cmocka_unit_test_teardown(allow_host_adds_a_name, kill_live),
        cmocka_unit_test_teardown(a_foreign_origin_is_refused_with_403, kill_live),
        cmocka_unit_test_teardown(a_post_that_is_not_json_is_refused_with_415, kill_live),
        cmocka_unit_test_teardown(queries_parse_strictly, kill_live),
        cmocka_unit_test_teardown(a_model_option_naming_a_file_is_refused, kill_live),
        cmocka_unit_test_teardown(a_wrong_method_gets_405_with_an_allow_header, kill_live),
        cmocka_unit_test_teardown(ambiguous_framing_is_a_400, kill_live),
        cmocka_unit_test_teardown(refusals_come_before_the_body_is_read, kill_live),
        cmocka_unit_test_teardown(a_run_too_big_to_answer_is_refused_with_400_before_it_starts, kill_live),
        cmocka_unit_test_teardown(an_answer_over_the_byte_budget_is_a_413, kill_live),
        cmocka_unit_test_teardown(a_run_past_the_time_budget_is_stopped_with_503, kill_live),
        cmocka_unit_test_teardown(a_run_past_the_memory_budget_fails_with_503, kill_live),
        cmocka_unit_test_teardown(the_page_and_small_requests_are_answered_while_heavy_runs_wait, kill_live),
        cmocka_unit_test_teardown(more_requests_than_workers_all_get_the_same_answer, kill_live),
        cmocka_unit_test_teardown(a_file_in_another_format_travels_in_a_json_envelope, kill_live),
        cmocka_unit_test_teardown(ipv6_loopback_and_localhost_bind_without_allow_remote, kill_live),
    };
    return cmocka_run_group_tests(tests, find_parley, NULL);
}
