/* server.h - parley serve: the local web UI and JSON API (docs/api.md). */
#ifndef PARLEY_SERVER_H
#define PARLEY_SERVER_H

#include <stdbool.h>

/* Serves until SIGINT or SIGTERM on bind_addr:port (port 0: any free port; the port is printed on
 * stdout as "listening on http://ADDR:PORT/"). initial_json is the scenario the UI opens first. Returns
 * the exit code. */
int serve_run(const char *initial_json, const char *bind_addr, unsigned port, bool quiet);

#endif
