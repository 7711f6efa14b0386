/* worker.c - runs happen in worker processes, so that a budget can always be enforced: the library's
 * single runs have no cancel hook, but a process can be killed, its memory capped, and its answer read
 * through a socket a byte at a time.
 *
 * The processes come from a fork server (the "zygote"), forked once at start while the server has a single
 * thread: forking from a process with many threads is slow and, under some allocators (AddressSanitizer's),
 * can copy a lock another thread holds. To start a worker the server makes a socket pair and hands one end
 * to the zygote (SCM_RIGHTS), which forks a worker that owns it. The worker writes its pid, caps its address
 * space, and then runs job after job: it reads a request (query and body), runs it, and writes
 * "STATUS LENGTH LAST TYPE\n" and the body. Each pool slot keeps its worker between jobs (a fork per
 * request would cost a fifth of the throughput); the server reads each answer with a deadline and a byte
 * count, and kills the worker past either, and a fresh one takes the slot. The zygote and its workers form
 * one process group, killed as one when the server stops (or when the zygote sees the server gone). */
#include "worker.h"

#include <errno.h>
#include <stdint.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
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

/* A worker process of a pool: its pid and the server's end of its socket (-1: none yet, or retired). */
typedef struct worker_proc {
    pid_t pid;
    int fd;
    bool taken;
} worker_proc;

#define MAX_WORKERS (SERVE_SMALL_WORKERS > SERVE_HEAVY_WORKERS ? SERVE_SMALL_WORKERS : SERVE_HEAVY_WORKERS)

typedef struct pool {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    unsigned busy, waiting, slots, max_waiting;
    worker_proc w[MAX_WORKERS];
} pool;

static pool pools[2] = {
    {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, SERVE_SMALL_WORKERS, UINT_MAX, {{0, 0, false}}},
    {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, SERVE_HEAVY_WORKERS, SERVE_HEAVY_QUEUE, {{0, 0, false}}},
};

/* The zygote: its pid (also its process group) and the server's end of its control socket. */
static pid_t zygote_pid = -1;
static int zygote_fd = -1;
static pthread_mutex_t zygote_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int stopping;

static unsigned run_seconds = SERVE_RUN_SECONDS;
static size_t answer_bytes = SERVE_ANSWER_BYTES;
static size_t memory_bytes = SERVE_RUN_MEMORY;

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


static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Takes a worker of p into *w; returns NULL, or the 503 message when none came free in time. */
static const char *acquire(pool *p, worker_proc **w)
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
        else {
            p->busy++;
            for (unsigned i = 0; i < p->slots; i++)
                if (!p->w[i].taken) {
                    *w = &p->w[i];
                    break;
                }
            (*w)->taken = true;
        }
    }
    pthread_mutex_unlock(&p->lock);
    return busy;
}

static void release(pool *p, worker_proc *w)
{
    pthread_mutex_lock(&p->lock);
    w->taken = false;
    p->busy--;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
}

static bool write_all(int fd, const void *data, size_t n)
{
    const char *p = data;
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w, n -= (size_t)w;
    }
    return true;
}

static bool read_all(int fd, void *data, size_t n)
{
    char *p = data;
    while (n) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return false;
        p += r, n -= (size_t)r;
    }
    return true;
}

/* The wire form of a job: the fixed fields, then the lengths of the strings (SIZE_MAX for NULL) and of
 * the body, then their bytes. */
typedef struct wire {
    int ep;
    uint64_t seed;
    size_t draws;
    int full;
    size_t lens[5]; /* model, threshold, chart, issue, body */
} wire;

static bool send_job(int fd, const serve_job *job)
{
    const char *parts[5] = {job->q.model, job->q.threshold, job->q.chart, job->q.issue, job->body};
    wire w;
    memset(&w, 0, sizeof w);
    w.ep = (int)job->q.ep, w.seed = job->q.seed, w.draws = job->q.draws, w.full = job->q.full;
    for (int i = 0; i < 4; i++) w.lens[i] = parts[i] ? strlen(parts[i]) : SIZE_MAX;
    w.lens[4] = job->len;
    if (!write_all(fd, &w, sizeof w)) return false;
    for (int i = 0; i < 5; i++)
        if (w.lens[i] != SIZE_MAX && !write_all(fd, parts[i], w.lens[i])) return false;
    return true;
}

/* In the worker: reads a job into *job, its strings and body into parts (malloc'd; the caller frees
 * them). */
static bool receive_job(int fd, serve_job *job, char *parts[5])
{
    wire w;
    for (int i = 0; i < 5; i++) parts[i] = NULL;
    if (!read_all(fd, &w, sizeof w) || w.ep < 0 || w.ep >= EP_COUNT) return false;
    for (int i = 0; i < 5; i++) {
        if (w.lens[i] == SIZE_MAX) continue;
        if (w.lens[i] > SERVE_MAX_BODY || !(parts[i] = malloc(w.lens[i] + 1)) || !read_all(fd, parts[i], w.lens[i])) return false;
        parts[i][w.lens[i]] = '\0';
    }
    memset(job, 0, sizeof *job);
    job->q.ep = (serve_endpoint)w.ep, job->q.seed = w.seed, job->q.draws = w.draws, job->q.full = w.full != 0;
    job->q.model = parts[0], job->q.threshold = parts[1], job->q.chart = parts[2], job->q.issue = parts[3];
    job->body = parts[4] ? parts[4] : "";
    job->len = parts[4] ? w.lens[4] : 0;
    return true;
}

/* In the worker: caps the address space at what it holds now plus the memory budget. Not under
 * AddressSanitizer, which reserves terabytes of shadow. */
static void cap_memory(void)
{
#ifndef SANITIZED
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (f && fscanf(f, "%lu", &pages) == 1) {
        struct rlimit rl;
        rl.rlim_cur = rl.rlim_max = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + memory_bytes;
        setrlimit(RLIMIT_AS, &rl);
    }
    if (f) fclose(f);
#endif
}

/* A worker's life: say who it is, then run job after job until the server closes the socket (or after
 * SERVE_WORKER_JOBS, or a job that ran out of memory, so that no heap grows old), exiting without the exit
 * handlers. The server kills it when a job passes a budget. */
static void worker(int fd, bool heavy)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigaction(SIGCHLD, &sa, NULL);
    if (heavy) setpriority(PRIO_PROCESS, 0, 5); /* small requests first when they compete for a core */
    const char *threads = getenv("PARLEY_THREADS");
    char *end = NULL;
    long t = threads ? strtol(threads, &end, 10) : 0;
    if (!threads || *end || t < 1 || t > SERVE_WORKER_THREADS) {
        char n[16];
        snprintf(n, sizeof n, "%d", SERVE_WORKER_THREADS);
        setenv("PARLEY_THREADS", n, 1);
    }
    int32_t pid = (int32_t)getpid();
    if (!write_all(fd, &pid, sizeof pid)) _exit(1);
    cap_memory();
    for (unsigned n = 1;; n++) {
        serve_job job;
        char *parts[5];
        alarm(0);
        bool got = receive_job(fd, &job, parts);
        if (!got) _exit(0); /* the server is gone, or retired this worker */
        alarm(run_seconds + 5); /* should the server not kill it in time */
        serve_answer a = {0};
        serve_api_run(&job, &a, answer_bytes);
        bool last = n >= SERVE_WORKER_JOBS || a.status == 503;
        char head[96];
        int h = snprintf(head, sizeof head, "%u %zu %d %s\n", a.status, a.len, last, a.type);
        if (h <= 0 || !write_all(fd, head, (size_t)h) || !write_all(fd, a.body ? a.body : "", a.len)) _exit(1);
        free(a.body);
        for (int i = 0; i < 5; i++) free(parts[i]);
        if (last) _exit(0);
    }
}

/* The zygote's life: fork a worker for every socket the server sends, until the server goes. Workers are
 * reaped by the kernel (SIGCHLD ignored). */
static void zygote(int ctl)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGCHLD, &sa, NULL);
    sigaction(SIGINT, &sa, NULL); /* Ctrl-C stops the server, which stops the zygote's group */
    sa.sa_handler = SIG_DFL;
    sigaction(SIGPIPE, &sa, NULL);
    setpgid(0, 0);
    for (;;) {
        char heavy;
        struct iovec iov = {&heavy, 1};
        union {
            char buf[CMSG_SPACE(sizeof(int))];
            struct cmsghdr align;
        } control;
        struct msghdr m;
        memset(&m, 0, sizeof m);
        m.msg_iov = &iov, m.msg_iovlen = 1;
        m.msg_control = control.buf, m.msg_controllen = sizeof control.buf;
        ssize_t r = recvmsg(ctl, &m, 0);
        if (r < 0 && errno == EINTR) continue;
        struct cmsghdr *c = r == 1 ? CMSG_FIRSTHDR(&m) : NULL;
        if (r <= 0) break; /* the server is gone */
        if (!c || c->cmsg_type != SCM_RIGHTS) continue;
        int fd;
        memcpy(&fd, CMSG_DATA(c), sizeof fd);
        pid_t pid = fork();
        if (pid == 0) {
            close(ctl);
            worker(fd, heavy == 'h');
        }
        close(fd); /* a failed fork: the server sees the socket close */
    }
    if (getpgrp() == getpid()) kill(0, SIGKILL); /* the workers, and the zygote: its own group, never the server's */
    _exit(0);
}

bool serve_workers_init(void)
{
    unsigned long long s = run_seconds, b = answer_bytes, m = memory_bytes;
    if (!budget_env("PARLEY_SERVE_SECONDS", SERVE_RUN_SECONDS, &s) || !budget_env("PARLEY_SERVE_ANSWER_BYTES", SERVE_ANSWER_BYTES, &b) ||
        !budget_env("PARLEY_SERVE_MEMORY_BYTES", SERVE_RUN_MEMORY, &m))
        return false;
    run_seconds = (unsigned)s, answer_bytes = (size_t)b, memory_bytes = (size_t)m;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < MAX_WORKERS; j++) pools[i].w[j].fd = -1; /* no worker yet */
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
        perror("parley serve: socketpair");
        return false;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("parley serve: fork");
        return false;
    }
    if (pid == 0) {
        close(sv[0]);
        zygote(sv[1]);
    }
    close(sv[1]);
    setpgid(pid, pid); /* also here, so that a kill of the group cannot come before the zygote's own call */
    zygote_pid = pid, zygote_fd = sv[0];
    return true;
}

void serve_workers_stop(void)
{
    stopping = 1;
    if (zygote_pid > 0) {
        kill(-zygote_pid, SIGKILL); /* the zygote's group: it and every worker */
        kill(zygote_pid, SIGKILL);  /* should it have no group of its own */
        while (waitpid(zygote_pid, NULL, 0) < 0 && errno == EINTR) {}
    }
    for (int i = 0; i < 2; i++) {
        pthread_mutex_lock(&pools[i].lock);
        pthread_cond_broadcast(&pools[i].freed);
        pthread_mutex_unlock(&pools[i].lock);
    }
}

/* Hands fd to the zygote for a worker; returns false when the zygote is gone. */
static bool spawn(int fd, bool heavy)
{
    char flag = heavy ? 'h' : 's';
    struct iovec iov = {&flag, 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_iov = &iov, m.msg_iovlen = 1;
    m.msg_control = control.buf, m.msg_controllen = sizeof control.buf;
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET, c->cmsg_type = SCM_RIGHTS, c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
    pthread_mutex_lock(&zygote_lock);
    ssize_t w;
    do w = sendmsg(zygote_fd, &m, MSG_NOSIGNAL);
    while (w < 0 && errno == EINTR);
    pthread_mutex_unlock(&zygote_lock);
    return w == 1;
}

/* Returns the size of the complete answer "STATUS LENGTH LAST TYPE\n" + body at the start of buf (n
 * bytes), or 0 while it is incomplete. */
static size_t complete(const char *buf, size_t n)
{
    const char *nl = memchr(buf, '\n', n);
    unsigned status;
    size_t body;
    if (!nl || sscanf(buf, "%u %zu", &status, &body) != 2) return 0;
    size_t head = (size_t)(nl + 1 - buf);
    return n >= head + body ? head + body : 0;
}

/* Reads the worker's answer from fd until it is complete, the socket closes, the deadline passes
 * (*late), more than max bytes come (*over) or the server stops. Returns the bytes (malloc'd,
 * NUL-terminated) and their count. */
static char *collect(int fd, double deadline, size_t max, size_t *len, bool *late, bool *over)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    *late = *over = false;
    while (buf && !stopping) {
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
        buf[n] = '\0';
        if (complete(buf, n)) break;
    }
    if (buf) buf[n] = '\0';
    *len = n;
    return buf;
}

/* Parses "STATUS LENGTH LAST TYPE\n" and the body after it into *a and *last; returns false when
 * incomplete. */
static bool parse_answer(char *out, size_t len, serve_answer *a, bool *last)
{
    char *nl = out ? memchr(out, '\n', len) : NULL;
    unsigned status;
    size_t body;
    int flag = 0, type_at = 0;
    if (!nl || complete(out, len) != len) return false;
    *nl = '\0';
    if (sscanf(out, "%u %zu %d %n", &status, &body, &flag, &type_at) != 3 || !type_at) return false;
    *last = flag != 0;
    a->status = status;
    snprintf(a->type, sizeof a->type, "%s", out + type_at);
    a->len = body;
    memmove(out, nl + 1, body + 1);
    a->body = out;
    return true;
}

/* Starts a worker for w through the zygote; returns false when none could start. */
static bool start_worker(worker_proc *w, bool heavy)
{
    int sv[2];
    int32_t pid = 0;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return false;
    bool ok = spawn(sv[1], heavy);
    close(sv[1]);
    ok = ok && read_all(sv[0], &pid, sizeof pid) && pid > 0;
    if (!ok) {
        close(sv[0]);
        return false;
    }
    w->pid = (pid_t)pid, w->fd = sv[0];
    return true;
}

/* Retires w's worker; kill says it may still be running (its socket is open, so it is not yet reaped
 * and its pid is still its own). */
static void retire(worker_proc *w, bool kill_it)
{
    if (w->fd < 0) return;
    if (kill_it) kill(w->pid, SIGKILL);
    close(w->fd);
    w->fd = -1;
}

void serve_isolated(bool heavy, const serve_job *job, serve_answer *a)
{
    memset(a, 0, sizeof *a);
    pool *p = &pools[heavy];
    worker_proc *w = NULL;
    const char *busy = acquire(p, &w);
    if (busy) {
        serve_error(a, 503, busy, NULL);
        return;
    }
    /* A worker kept from an earlier job may have exited since (its alarm, a signal): then a new one. */
    bool sent = (w->fd >= 0 || start_worker(w, heavy)) && send_job(w->fd, job);
    if (!sent && w->fd >= 0) {
        retire(w, false);
        sent = start_worker(w, heavy) && send_job(w->fd, job);
    }
    if (!sent) {
        retire(w, false);
        release(p, w);
        serve_error(a, 503, stopping ? "the server is stopping" : "the server cannot start a worker process now; try again later", NULL);
        return;
    }
    size_t len;
    bool late, over, last = false;
    char *out = collect(w->fd, now() + run_seconds, answer_bytes + 96, &len, &late, &over);
    char message[200];
    unsigned code = 0;
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
    } else if (!parse_answer(out, len, a, &last)) {
        snprintf(message, sizeof message, "the run ended without an answer (it crashed, or ran out of memory)");
        code = 500;
    }
    if (code) retire(w, late || over);
    else if (last) retire(w, false);
    release(p, w);
    if (!code) return;
    free(out);
    serve_error(a, code, message, NULL);
}
