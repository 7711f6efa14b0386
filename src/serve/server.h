/* server.h - parley serve: the local web UI and JSON API (docs/api.md; what it promises:
 * docs/security.md). */
#ifndef PARLEY_SERVER_H
#define PARLEY_SERVER_H

#include <stdbool.h>
#include <stddef.h>

typedef struct serve_options {
    const char *initial;    /* the scenario the UI opens first, as native JSON */
    const char *bind;       /* an IPv4 or IPv6 address, or localhost */
    unsigned port;          /* 0: any free port */
    const char *const *allow_hosts; /* more names the Host header may give (--allow-host) */
    size_t n_allow_hosts;
    bool quiet;
} serve_options;

/* Returns whether addr (as --bind takes it) is a loopback address: 127.0.0.0/8, ::1 (also in brackets),
 * ::ffff:127.x.y.z, or localhost. */
bool serve_is_loopback(const char *addr);

/* Returns whether addr is an IPv4 or IPv6 address (an IPv6 one may be in brackets), or localhost. */
bool serve_bind_ok(const char *addr);

/* Returns whether name is acceptable for --allow-host: a host name or an IP address (an IPv6 one in
 * brackets), without a port. */
bool serve_host_name_ok(const char *name);

/* Serves until SIGINT or SIGTERM (the port is printed on stdout as "listening on http://ADDR:PORT/").
 * Returns the exit code. */
int serve_run(const serve_options *o);

#endif
