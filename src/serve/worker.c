/* worker.c - each run in its own child process, so that a budget can always be enforced: the library's
 * single runs have no cancel hook, but a process can be killed, its memory capped, and its answer read
 * through a pipe a byte at a time.
 *
 * The child is forked from the server (it inherits the request in memory, so nothing is copied), closes
 * every descriptor but its end of the pipe (a copy of a connection's socket would keep that connection
 * open), caps its address space, runs, writes "STATUS TYPE\n" and the body, and exits. The parent reads
 * with a deadline and a byte count, and kills it past either. */
#include "worker.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "budget.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif

typedef struct pool {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    unsigned busy, waiting, slots, max_waiting;
} pool;

static pool pools[2] = {
    {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, SERVE_SMALL_WORKERS, UINT_MAX},
    {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, SERVE_HEAVY_WORKERS, SERVE_HEAVY_QUEUE},
};

/* The children running now, so that stopping the server stops them. */
static pthread_mutex_t children_lock = PTHREAD_MUTEX_INITIALIZER;
static pid_t children[SERVE_SMALL_WORKERS + SERVE_HEAVY_WORKERS];
static volatile int stopping;

static unsigned run_seconds = SERVE_RUN_SECONDS;
static size_t answer_bytes = SERVE_ANSWER_BYTES;

/* Reads a budget override: a whole number from 1 to max. */
static bool budget_env(const char *name, unsigned long long max, unsigned long long *out)
{
    const char *v = getenv(name);
    if (!v) return true;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (*v < '0' || *v > '9' || *end || errno || n < 1 || n > max) {
        fprintf(stderr, "parley serve: %s expects a whole number from 1 to %llu (it can only lower the budget), found \"%s\"\n", name, max, v);
        return false;
    }
    *out = n;
    return true;
}

bool serve_workers_init(void)
{
    unsigned long long s = run_seconds, b = answer_bytes;
    if (!budget_env("PARLEY_SERVE_SECONDS", SERVE_RUN_SECONDS, &s) || !budget_env("PARLEY_SERVE_ANSWER_BYTES", SERVE_ANSWER_BYTES, &b))
        return false;
    run_seconds = (unsigned)s, answer_bytes = (size_t)b;
    return true;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Takes a worker of p; returns 0, or the 503 message when none came free in time. */
static const char *acquire(pool *p)
{
    const char *busy = NULL;
    pthread_mutex_lock(&p->lock);
    if (p->waiting >= p->max_waiting) busy = "the server is busy with heavy requests (the queue is full); try again later";
    else {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += SERVE_QUEUE_SECONDS;
        p->waiting++;
        while (p->busy >= p->slots && !stopping)
            if (pthread_cond_timedwait(&p->freed, &p->lock, &until) == ETIMEDOUT) break;
        p->waiting--;
        if (stopping) busy = "the server is stopping";
        else if (p->busy >= p->slots) busy = "the server is busy: no worker came free within the queue's time budget; try again later";
        else p->busy++;
    }
    pthread_mutex_unlock(&p->lock);
    return busy;
}

static void release(pool *p)
{
    pthread_mutex_lock(&p->lock);
    p->busy--;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
}

/* Records a running child (pid > 0) or forgets one (pid < 0: -pid). */
static void track(pid_t pid)
{
    pthread_mutex_lock(&children_lock);
    for (size_t i = 0; i < sizeof children / sizeof *children; i++)
        if (pid > 0 ? !children[i] : children[i] == -pid) {
            children[i] = pid > 0 ? pid : 0;
            break;
        }
    if (pid > 0 && stopping) kill(pid, SIGKILL);
    pthread_mutex_unlock(&children_lock);
}

void serve_workers_stop(void)
{
    pthread_mutex_lock(&children_lock);
    stopping = 1;
    for (size_t i = 0; i < sizeof children / sizeof *children; i++)
        if (children[i]) kill(children[i], SIGKILL);
    pthread_mutex_unlock(&children_lock);
    for (int i = 0; i < 2; i++) {
        pthread_mutex_lock(&pools[i].lock);
        pthread_cond_broadcast(&pools[i].freed);
        pthread_mutex_unlock(&pools[i].lock);
    }
}

/* In the child: closes every descriptor from 3 up but keep. */
static void close_others(int keep)
{
    DIR *d = opendir("/proc/self/fd");
    if (d) {
        int own = dirfd(d);
        struct dirent *e;
        while ((e = readdir(d)))
            if (e->d_name[0] >= '0' && e->d_name[0] <= '9') {
                int fd = atoi(e->d_name);
                if (fd > 2 && fd != keep && fd != own) close(fd);
            }
        closedir(d);
        return;
    }
    struct rlimit rl;
    long max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 65536 ? (long)rl.rlim_cur : 65536;
    for (int fd = 3; fd < max; fd++)
        if (fd != keep) close(fd);
}

/* In the child: caps the address space at what it holds now plus the memory budget. Not under
 * AddressSanitizer, which reserves terabytes of shadow. */
static void cap_memory(void)
{
#ifndef SANITIZED
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (f && fscanf(f, "%lu", &pages) == 1) {
        struct rlimit rl;
        rl.rlim_cur = rl.rlim_max = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + SERVE_RUN_MEMORY;
        setrlimit(RLIMIT_AS, &rl);
    }
    if (f) fclose(f);
#endif
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w, n -= (size_t)w;
    }
    return true;
}

/* The child's life: run, write the answer, exit without running the parent's exit handlers. */
static void child(int fd, bool heavy, serve_work_fn fn, void *ctx)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGPIPE, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);
    sigset_t none;
    sigemptyset(&none);
    pthread_sigmask(SIG_SETMASK, &none, NULL);
    close_others(fd);
    alarm(run_seconds + 5); /* should the server die first */
    if (heavy) setpriority(PRIO_PROCESS, 0, 5); /* small requests first when they compete for a core */
    cap_memory();
    serve_answer a = {0};
    fn(ctx, &a, answer_bytes);
    char head[80];
    int n = snprintf(head, sizeof head, "%u %s\n", a.status, a.type);
    bool ok = n > 0 && write_all(fd, head, (size_t)n) && write_all(fd, a.body ? a.body : "", a.len);
    _exit(ok ? 0 : 1);
}

/* Reads the child's answer from fd until it closes, the deadline passes (*late) or more than max bytes
 * come (*over). Returns the bytes (malloc'd, NUL-terminated) and their count in *len. */
static char *collect(int fd, double deadline, size_t max, size_t *len, bool *late, bool *over)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    *late = *over = false;
    while (buf) {
        double left = deadline - now();
        if (left <= 0) {
            *late = true;
            break;
        }
        struct pollfd pf = {fd, POLLIN, 0};
        int r = poll(&pf, 1, left > 1 ? 1000 : (int)(left * 1000) + 1);
        if (r < 0 && errno != EINTR) break;
        if (r <= 0) continue;
        if (n == cap) {
            char *g = cap > max ? NULL : realloc(buf, 2 * cap + 1);
            if (!g) {
                *over = cap > max;
                break;
            }
            buf = g, cap *= 2;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        n += (size_t)got;
        if (n > max) {
            *over = true;
            break;
        }
    }
    if (buf) buf[n] = '\0';
    *len = n;
    return buf;
}

void serve_isolated(bool heavy, serve_work_fn fn, void *ctx, serve_answer *a)
{
    memset(a, 0, sizeof *a);
    pool *p = &pools[heavy];
    const char *busy = acquire(p);
    if (busy) {
        serve_error(a, 503, busy, NULL);
        return;
    }
    int fds[2] = {-1, -1};
    pid_t pid = -1;
    if (pipe(fds) == 0 && (pid = fork()) == 0) child(fds[1], heavy, fn, ctx);
    if (pid < 0) {
        if (fds[0] >= 0) close(fds[0]), close(fds[1]);
        release(p);
        serve_error(a, 503, "the server cannot start a worker process now; try again later", NULL);
        return;
    }
    close(fds[1]);
    track(pid);
    size_t len;
    bool late, over;
    char *out = collect(fds[0], now() + run_seconds, answer_bytes + 80, &len, &late, &over);
    close(fds[0]);
    if (late || over) kill(pid, SIGKILL);
    track(-pid);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    release(p);
    char message[200];
    unsigned code = 0;
    char *nl = out ? memchr(out, '\n', len) : NULL;
    if (late) {
        snprintf(message, sizeof message, "the run was stopped after %u s, the server's time budget (docs/security.md); ask for less, or use the CLI",
                 run_seconds);
        code = 503;
    } else if (over) {
        snprintf(message, sizeof message, "the answer is over the server's budget of %zu bytes; ask for less, or use the CLI", answer_bytes);
        code = 413;
    } else if (stopping) {
        snprintf(message, sizeof message, "the server is stopping");
        code = 503;
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) || !nl || sscanf(out, "%u", &code) != 1) {
        if (WIFSIGNALED(status))
            snprintf(message, sizeof message, "the run ended without an answer (signal %d)%s", WTERMSIG(status),
                     WTERMSIG(status) == SIGKILL || WTERMSIG(status) == SIGSEGV ? "; it may have run out of memory" : "");
        else snprintf(message, sizeof message, "the run ended without an answer");
        code = 500;
    } else {
        char *type = strchr(out, ' ');
        *nl = '\0';
        a->status = code;
        snprintf(a->type, sizeof a->type, "%s", type ? type + 1 : "application/json");
        a->len = len - (size_t)(nl + 1 - out);
        memmove(out, nl + 1, a->len + 1);
        a->body = out;
        return;
    }
    free(out);
    serve_error(a, code, message, NULL);
}
