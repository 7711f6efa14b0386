/* loadtest.c - parley-loadtest: many concurrent clients against `parley serve` on loopback; reports
 * requests per second, latency percentiles, errors, and the server's memory before and after.
 * Usage: parley-loadtest PARLEY_BINARY SCENARIO.json [CLIENTS=100] [SECONDS=10] [MODELS=compromise,median,mean]
 *
 * With --heavy, it posts SCENARIO to PATH from N clients (once each, 100 ms apart) and, while they run, fetches
 * GET / every 100 ms: it reports each heavy answer (status, bytes, seconds), the page's latency meanwhile,
 * and the server's peak memory (VmHWM; the runs' own processes are not counted).
 * Usage: parley-loadtest --heavy PARLEY_BINARY SCENARIO.json PATH [N=4]
 *        (e.g. PATH '/api/montecarlo?draws=3000') */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct client {
    const char *request;
    size_t request_len;
    unsigned port;
    double until;
    size_t ok, errors, n_lat, cap_lat;
    double *lat;
} client;

/* One request on a fresh connection; returns the HTTP status (0 on a transport error) and, when bytes is
 * not NULL, the size of the answer. */
static int exchange(unsigned port, const char *request, size_t request_len, size_t *bytes)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int status = 0;
    ssize_t total = 0;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
        size_t sent = 0;
        while (sent < request_len) {
            ssize_t w = write(fd, request + sent, request_len - sent);
            if (w <= 0) break;
            sent += (size_t)w;
        }
        char buf[65536];
        ssize_t r;
        char head[16] = "";
        while ((r = read(fd, buf, sizeof buf)) > 0) {
            if (total == 0) memcpy(head, buf, r < 15 ? (size_t)r : 15);
            total += r;
        }
        if (total > 12 && !strncmp(head, "HTTP/1.", 7)) status = atoi(head + 9);
    }
    close(fd);
    if (bytes) *bytes = (size_t)total;
    return status;
}

static int one_request(const client *c)
{
    return exchange(c->port, c->request, c->request_len, NULL);
}

static void *run_client(void *arg)
{
    client *c = arg;
    while (now() < c->until) {
        double t0 = now();
        int st = one_request(c);
        double dt = now() - t0;
        if (st == 200) c->ok++;
        else c->errors++;
        if (c->n_lat == c->cap_lat) {
            size_t cap = c->cap_lat ? 2 * c->cap_lat : 1024;
            double *g = realloc(c->lat, cap * sizeof *g);
            if (!g) continue;
            c->lat = g, c->cap_lat = cap;
        }
        c->lat[c->n_lat++] = dt;
    }
    return NULL;
}

/* The server's resident memory (key "VmRSS:") or its peak ("VmHWM:"), in KiB. */
static long memory_kib(pid_t pid, const char *key)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, key, strlen(key))) kib = strtol(line + strlen(key), NULL, 10);
    if (f) fclose(f);
    return kib;
}

static long rss_kib(pid_t pid)
{
    return memory_kib(pid, "VmRSS:");
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct heavy_client {
    unsigned port;
    const char *request;
    size_t request_len, bytes;
    int status;
    double seconds;
    volatile int done;
} heavy_client;

static void *run_heavy(void *arg)
{
    heavy_client *h = arg;
    double t0 = now();
    h->status = exchange(h->port, h->request, h->request_len, &h->bytes);
    h->seconds = now() - t0;
    h->done = 1;
    return NULL;
}

/* --heavy: n clients post the body to path at once; the page is fetched every 100 ms meanwhile. */
static int heavy_mode(pid_t pid, unsigned port, const char *path, int n, const char *body, size_t len)
{
    char *request = NULL, *page = NULL;
    int rn = asprintf(&request,
                      "POST %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                      "Connection: close\r\n\r\n",
                      path, port, len);
    int pn = asprintf(&page, "GET / HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nConnection: close\r\n\r\n", port);
    if (rn < 0 || pn < 0 || !(request = realloc(request, (size_t)rn + len))) return 1;
    memcpy(request + rn, body, len);
    heavy_client *h = calloc((size_t)n, sizeof *h);
    pthread_t *t = calloc((size_t)n, sizeof *t);
    double start = now();
    for (int i = 0; i < n; i++) {
        h[i] = (heavy_client){port, request, (size_t)rn + len, 0, 0, 0, 0};
        pthread_create(&t[i], NULL, run_heavy, &h[i]);
        struct timespec gap = {0, 100000000}; /* 100 ms apart, as clicks come: each finds the server idle */
        nanosleep(&gap, NULL);
    }
    size_t np = 0, cap = 1024, bad = 0;
    double *lat = malloc(cap * sizeof *lat);
    for (;;) {
        bool all = true;
        for (int i = 0; i < n; i++) all = all && h[i].done;
        if (all) break;
        struct timespec pause = {0, 100000000};
        nanosleep(&pause, NULL);
        double t0 = now();
        if (exchange(port, page, (size_t)pn, NULL) != 200) bad++;
        if (np == cap) lat = realloc(lat, (cap *= 2) * sizeof *lat);
        lat[np++] = now() - t0;
    }
    for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
    printf("parley serve, %d x POST %s (%zu-byte body), 100 ms apart; GET / every 100 ms meanwhile\n", n, path, len);
    for (int i = 0; i < n; i++) printf("  heavy %d     status %d, %zu bytes, %.1f s\n", i + 1, h[i].status, h[i].bytes, h[i].seconds);
    printf("  all done   after %.1f s\n", now() - start);
    qsort(lat, np, sizeof *lat, cmp);
    if (np)
        printf("  GET /      %zu requests (%zu not 200), latency p50 %.1f ms, max %.1f ms\n", np, bad, 1e3 * lat[np / 2], 1e3 * lat[np - 1]);
    printf("  memory     server peak RSS %ld KiB\n", memory_kib(pid, "VmHWM:"));
    free(lat), free(h), free(t), free(request), free(page);
    return bad ? 1 : 0;
}


int main(int argc, char **argv)
{
    bool heavy = argc > 1 && !strcmp(argv[1], "--heavy");
    if (heavy) argc--, argv++;
    if (argc < 3 || (heavy && argc < 4)) {
        fprintf(stderr, "usage: parley-loadtest PARLEY_BINARY SCENARIO.json [CLIENTS] [SECONDS] [MODELS]\n"
                        "       parley-loadtest --heavy PARLEY_BINARY SCENARIO.json PATH [N]\n");
        return 2;
    }
    int clients = heavy ? 1 : argc > 3 ? atoi(argv[3]) : 100;
    int n_heavy = heavy && argc > 4 ? atoi(argv[4]) : 4;
    double seconds = !heavy && argc > 4 ? atof(argv[4]) : 10;
    const char *models = !heavy && argc > 5 ? argv[5] : "compromise,median,mean";
    if (clients < 1 || clients > 1000 || !(seconds > 0) || n_heavy < 1 || n_heavy > 100) return 2;
    FILE *f = fopen(argv[2], "rb");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    char *body = NULL;
    size_t len = 0, cap = 0, r;
    char chunk[65536];
    while ((r = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + r > cap) {
            cap = (len + r) * 2;
            body = realloc(body, cap);
            if (!body) return 1;
        }
        memcpy(body + len, chunk, r);
        len += r;
    }
    fclose(f);
    /* the server, on a free port it reports */
    int pipefd[2];
    if (pipe(pipefd)) return 1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pipefd[1], 1);
        close(pipefd[0]);
        execl(argv[1], argv[1], "serve", "--port", "0", "--quiet", (char *)NULL);
        _exit(127);
    }
    close(pipefd[1]);
    char line[256] = "";
    size_t got = 0;
    while (got < sizeof line - 1 && read(pipefd[0], line + got, 1) == 1 && line[got] != '\n') got++;
    unsigned port = 0;
    char *colon = strrchr(line, ':');
    if (colon) port = (unsigned)atoi(colon + 1);
    if (!port) {
        fprintf(stderr, "parley-loadtest: the server did not start (%s)\n", line);
        return 1;
    }
    if (heavy) {
        int rc = heavy_mode(pid, port, argv[3], n_heavy, body, len);
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        free(body);
        return rc;
    }
    char *request = NULL;
    int n = asprintf(&request,
                     "POST /api/forecast?model=%s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                     models, port, len);
    if (n < 0) return 1;
    request = realloc(request, (size_t)n + len);
    memcpy(request + n, body, len);
    /* warm up, then measure */
    client warm = {request, (size_t)n + len, port, now() + 1, 0, 0, 0, 0, NULL};
    run_client(&warm);
    long rss0 = rss_kib(pid);
    client *c = calloc((size_t)clients, sizeof *c);
    pthread_t *t = calloc((size_t)clients, sizeof *t);
    double start = now(), until = start + seconds;
    for (int i = 0; i < clients; i++) {
        c[i] = (client){request, (size_t)n + len, port, until, 0, 0, 0, 0, NULL};
        pthread_create(&t[i], NULL, run_client, &c[i]);
    }
    for (int i = 0; i < clients; i++) pthread_join(t[i], NULL);
    double elapsed = now() - start;
    long rss1 = rss_kib(pid);
    size_t ok = 0, errors = 0, nl = 0;
    for (int i = 0; i < clients; i++) ok += c[i].ok, errors += c[i].errors, nl += c[i].n_lat;
    double *lat = malloc((nl ? nl : 1) * sizeof *lat);
    size_t k = 0;
    for (int i = 0; i < clients; i++) {
        memcpy(lat + k, c[i].lat, c[i].n_lat * sizeof *lat);
        k += c[i].n_lat;
        free(c[i].lat);
    }
    qsort(lat, nl, sizeof *lat, cmp);
    printf("parley serve under load: %d clients for %.0f s, POST /api/forecast?model=%s (%zu-byte scenario)\n", clients, seconds,
           models, len);
    printf("  requests   %zu ok, %zu errors\n", ok, errors);
    printf("  throughput %.0f requests/s\n", (double)ok / elapsed);
    if (nl)
        printf("  latency    p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n", 1e3 * lat[nl / 2], 1e3 * lat[nl * 9 / 10],
               1e3 * lat[nl * 99 / 100], 1e3 * lat[nl - 1]);
    printf("  memory     server RSS %ld KiB before, %ld KiB after\n", rss0, rss1);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    free(lat), free(c), free(t), free(request), free(body);
    return errors ? 1 : 0;
}
