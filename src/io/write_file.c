/* write_file.c - writing an output so that nothing a user saved is lost or half-written. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/error_internal.h"
#include "../core/util.h"
#include "parley/io.h"
#include "write_file.h"

/* Symlink chains longer than this are an error, as the kernel's own limit (ELOOP) makes them. */
#define PW_MAX_LINKS 40

/* ---- temporary files removed on SIGINT and SIGTERM ----
 * The handler may run at any instant, so the names live in a fixed table of atomic pointers that a writer
 * fills before it creates the file and empties after the rename; unlink() is async-signal-safe. Up to
 * PW_SLOTS writes at once (threads of one process) are covered; more still work, they are just not cleaned
 * up on a signal. */
#define PW_SLOTS 16
static char *_Atomic pw_pending[PW_SLOTS];
static atomic_flag pw_installed = ATOMIC_FLAG_INIT;

static void pw_on_signal(int sig)
{
    for (size_t i = 0; i < PW_SLOTS; i++) {
        char *p = atomic_load(&pw_pending[i]);
        if (p) unlink(p);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Installs the cleanup handler for SIGINT and SIGTERM, once, and only where the program left the default
 * action (dying): a program with its own handler (parley montecarlo reports partial results on Ctrl-C)
 * keeps it, and its handler returns, so the write finishes or fails through the normal path. */
static void pw_install(void)
{
    if (atomic_flag_test_and_set(&pw_installed)) return;
    static const int sigs[] = {SIGINT, SIGTERM};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction old;
        if (sigaction(sigs[i], NULL, &old) != 0 || (old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL) continue;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = pw_on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

static int pw_track(char *path)
{
    for (int i = 0; i < PW_SLOTS; i++) {
        char *expected = NULL;
        if (atomic_compare_exchange_strong(&pw_pending[i], &expected, path)) return i;
    }
    return -1;
}

static void pw_untrack(int slot)
{
    if (slot >= 0) atomic_store(&pw_pending[slot], NULL);
}

void (*parley__write_hook)(const char *tmp_path);

/* ---- path helpers ---- */

/* Returns the folder part of path ("." when it has none), malloc'd. */
static char *pw_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return pu_strdup(".");
    if (slash == path) return pu_strdup("/");
    return pu_asprintf("%.*s", (int)(slash - path), path);
}

/* Follows path while it is a symbolic link and returns the name it finally stands for (malloc'd; it may
 * not exist yet: a dangling link names the file to create). Sets *st and *exists from that name. */
static char *pw_resolve(const char *path, struct stat *st, bool *exists, parley_error *err, parley_status *status)
{
    char *cur = pu_strdup(path);
    for (int hops = 0; cur; hops++) {
        struct stat lst;
        if (lstat(cur, &lst) != 0) {
            if (errno != ENOENT) break;
            *exists = false;
            return cur;
        }
        if (!S_ISLNK(lst.st_mode)) {
            *exists = true;
            *st = lst;
            return cur;
        }
        if (hops == PW_MAX_LINKS) {
            errno = ELOOP;
            break;
        }
        size_t cap = (size_t)lst.st_size + 1 > 256 ? (size_t)lst.st_size + 1 : 256;
        char *target = malloc(cap);
        ssize_t n = target ? readlink(cur, target, cap) : -1;
        if (n < 0 || (size_t)n >= cap) {
            if (n >= 0) errno = ENAMETOOLONG; /* the link changed under us */
            free(target);
            break;
        }
        target[n] = '\0';
        char *next;
        if (target[0] == '/') next = target;
        else {
            char *dir = pw_dirname(cur);
            next = dir ? pu_asprintf("%s/%s", dir, target) : NULL;
            free(dir);
            free(target);
        }
        free(cur);
        cur = next;
    }
    if (!cur) {
        *status = PERR(err, PARLEY_E_NOMEM, path, 0, 0, NULL, "out of memory");
        return NULL;
    }
    *status = PERR(err, PARLEY_E_IO, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
    free(cur);
    return NULL;
}

/* The process's umask, read without changing it (umask() would race with other threads creating files). */
static mode_t pw_umask(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    mode_t mask = 022;
    if (!f) return mask;
    char line[256];
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "Umask:", 6)) {
            mask = (mode_t)strtoul(line + 6, NULL, 8);
            break;
        }
    fclose(f);
    return mask;
}

static bool pw_write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        len -= (size_t)n;
    }
    return true;
}

/* ---- the writer ---- */

static parley_status pw_stdout(const char *data, size_t len, parley_error *err)
{
    if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
        return PERR(err, PARLEY_E_IO, "<stdout>", 0, 0, NULL, "write error: %s", strerror(errno));
    return PARLEY_OK;
}

/* A device, FIFO or terminal is written as it is: renaming over it would replace the device node. */
static parley_status pw_in_place(const char *path, const char *data, size_t len, parley_error *err)
{
    int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return PERR(err, PARLEY_E_IO, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
    bool ok = pw_write_all(fd, data, len);
    int saved = errno;
    ok = close(fd) == 0 && ok;
    if (!ok) return PERR(err, PARLEY_E_IO, path, 0, 0, NULL, "write error: %s", strerror(saved ? saved : errno));
    return PARLEY_OK;
}

/* A regular file (or a new one) is replaced atomically: a temporary file created exclusively under an
 * unpredictable name in the same folder, given the old file's permission bits (and owner, where we may),
 * flushed to disk, then renamed over the name. */
static parley_status pw_replace(const char *display, const char *path, const struct stat *old, bool exists,
                                const char *data, size_t len, parley_error *err)
{
    if (exists && access(path, W_OK) != 0)
        return PERR(err, PARLEY_E_IO, display, 0, 0, NULL, "cannot write: %s", strerror(errno));
    char *dir = pw_dirname(path);
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char *tmp = dir ? pu_asprintf("%s/.%s.parley-XXXXXX", dir, base) : NULL;
    free(dir);
    if (!tmp) return PERR(err, PARLEY_E_NOMEM, display, 0, 0, NULL, "out of memory");
    pw_install();
    int slot = pw_track(tmp);
    int fd = mkstemp(tmp); /* O_CREAT | O_EXCL with a random name: a planted file or link cannot be used */
    if (fd < 0) {
        pw_untrack(slot);
        /* a folder that does not exist is a mistake in the command line, like a missing input */
        parley_status st = PERR(err, pu_errno_is_callers(errno) ? PARLEY_E_USAGE : PARLEY_E_IO, display, 0, 0,
                                "-o", "cannot write in its folder: %s", strerror(errno));
        free(tmp);
        return st;
    }
    if (parley__write_hook) parley__write_hook(tmp);
    bool ok = true;
    const char *what = "write error";
    if (exists) {
        if (fchown(fd, old->st_uid, old->st_gid) != 0) { /* only root may give a file away: keep ours then */
        }
        ok = fchmod(fd, old->st_mode & 07777) == 0;
    } else
        ok = fchmod(fd, 0666 & ~pw_umask()) == 0;
    if (!ok) what = "cannot set permissions";
    if (ok && !(ok = pw_write_all(fd, data, len))) what = "write error";
    if (ok && !(ok = fsync(fd) == 0)) what = "cannot flush to disk";
    int saved = errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = false;
        what = "cannot replace";
        saved = errno;
    }
    parley_status st = PARLEY_OK;
    if (!ok) {
        unlink(tmp);
        st = PERR(err, PARLEY_E_IO, display, 0, 0, NULL, "%s: %s", what, strerror(saved));
    }
    pw_untrack(slot);
    free(tmp);
    return st;
}

/* Whether a and b are the same file (hard links and symlinks included). */
static bool pw_same(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

parley_status parley_write_file_to(const char *path, const char *data, size_t len, const parley_write_options *o,
                                   parley_error *err)
{
    if (strcmp(path, "-") == 0) return pw_stdout(data, len, err);
    struct stat st;
    bool exists = false;
    parley_status status = PARLEY_OK;
    char *real = pw_resolve(path, &st, &exists, err, &status);
    if (!real) return status;
    if (exists && o) {
        for (size_t i = 0; i < o->n_inputs; i++) {
            struct stat in;
            if (o->inputs[i] && strcmp(o->inputs[i], "-") != 0 && stat(o->inputs[i], &in) == 0 && pw_same(&in, &st)) {
                free(real);
                return PERR(err, PARLEY_E_USAGE, path, 0, 0, "-o",
                            "expected an output other than the input, found the input file %s itself (nothing was written)",
                            o->inputs[i]);
            }
        }
    }
    if (exists && S_ISDIR(st.st_mode)) status = PERR(err, PARLEY_E_USAGE, path, 0, 0, "-o", "expected a file, found a folder");
    else if (exists && !S_ISREG(st.st_mode)) status = pw_in_place(real, data, len, err);
    else status = pw_replace(path, real, &st, exists, data, len, err);
    free(real);
    return status;
}

parley_status parley_write_file(const char *path, const char *data, size_t len, parley_error *err)
{
    return parley_write_file_to(path, data, len, NULL, err);
}
