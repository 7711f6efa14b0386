/* cmd_serve.c - parley serve: the local web UI for live what-if analysis (src/serve). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifndef PARLEY_HAVE_SERVE
/* Built without libmicrohttpd (PARLEY_SERVE=OFF, or the library was not found): say how to get the server. */
int cmd_serve(int argc, char **argv)
{
    (void)argc, (void)argv;
    fprintf(stderr, "parley serve: this parley was built without the web server, which needs libmicrohttpd; on Debian:\n"
                    "  apt-get install libmicrohttpd-dev   and rebuild (make; or cmake -DPARLEY_SERVE=ON)\n");
    return 1;
}
#else
#include "../serve/server.h"

extern const unsigned char examples_jeddah_2025_json[];

static const char help[] =
    "usage: parley serve [FILE] [--port 8080] [--bind 127.0.0.1] [--allow-remote] [--allow-host NAME]...\n\n"
    "A local web UI: open a scenario (FILE, default the Jeddah flagship), edit actors, issues and stances,\n"
    "move sliders for positions, saliences and capabilities and watch every model's forecast and chart\n"
    "update; run Monte Carlo; compare variants; download the edited scenario. A JSON API answers under\n"
    "/api/ (docs/api.md). Only loopback by default (127.0.0.1, ::1, localhost): another --bind also needs\n"
    "--allow-remote. Requests must name the server in their Host header (its address, or localhost on\n"
    "loopback); --allow-host NAME (repeatable) accepts another name. What it guards against: docs/security.md.\n";

int cmd_serve(int argc, char **argv)
{
    cli_args a;
    int rc = cli_start(argc, argv, "port,bind,allow-remote,allow-host,from,salience-scale,quiet,help", help, &a);
    if (rc >= 0) return rc;
    const char *bind_addr = a.bind ? a.bind : "127.0.0.1";
    char *end;
    long port = a.port ? strtol(a.port, &end, 10) : 8080;
    if (a.port && (*end || port < 0 || port > 65535)) {
        fprintf(stderr, "parley serve: --port expects 0 to 65535, found \"%s\"\n", a.port);
        cli_args_free(&a);
        return EXIT_USAGE;
    }
    if (!serve_bind_ok(bind_addr)) {
        fprintf(stderr, "parley serve: --bind expects an IPv4 or IPv6 address or localhost, found \"%s\"\n", bind_addr);
        cli_args_free(&a);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < a.n_allow_hosts; i++)
        if (!serve_host_name_ok(a.allow_hosts[i])) {
            fprintf(stderr, "parley serve: --allow-host expects a host name or an IP address ([::1] for IPv6) without a port, found \"%s\"\n",
                    a.allow_hosts[i]);
            cli_args_free(&a);
            return EXIT_USAGE;
        }
    if (!serve_is_loopback(bind_addr)) {
        if (!a.allow_remote) {
            fprintf(stderr, "parley serve: %s is not a loopback address; add --allow-remote to serve other machines\n", bind_addr);
            cli_args_free(&a);
            return EXIT_USAGE;
        }
        fprintf(stderr,
                "parley serve: warning: serving %s; anyone who can reach it can run models on this machine (requests must name it by its "
                "address, or by a name given with --allow-host)\n",
                bind_addr);
    }
    char *json = NULL;
    if (a.input) {
        parley_error *err = parley_error_new();
        parley_scenario *s = NULL;
        rc = cli_read(&a, err, &s);
        if (!rc && !(json = parley_scenario_serialize(s, "json", err))) rc = 1;
        parley_scenario_free(s);
        parley_error_free(err);
        if (rc) {
            cli_args_free(&a);
            return rc;
        }
    }
    serve_options o = {json ? json : (const char *)examples_jeddah_2025_json, bind_addr, (unsigned)port, a.allow_hosts, a.n_allow_hosts, a.quiet};
    rc = serve_run(&o);
    free(json);
    cli_args_free(&a);
    return rc;
}
#endif
