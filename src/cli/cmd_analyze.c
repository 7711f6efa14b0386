/* cmd_analyze.c - `parley analyze FILE...`: the outcome space, its zone of agreement, Pareto frontier and
 * bargaining points. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: parley analyze FILE... [--format text|json] [--frontier] [--actors A,B,...|all] [--grid N]\n"
    "                      [--utility linear|quadratic] [--svg CHART.svg] [-o OUT]\n\n"
    "Enumerates the outcomes of the negotiation in FILE (a scenario, or a GENIUS DOMAIN.xml PROFILE.xml...\n"
    "or a folder) and prints how many there are, the zone of agreement (outcomes every party prefers to no\n"
    "deal), the Pareto frontier and the Nash, Kalai-Smorodinsky, egalitarian and max-welfare points, each\n"
    "with every tie (docs/analyze.md).\n\n"
    "  --format F     text (default, for people) or json\n"
    "  --frontier     list the Pareto frontier with more than 3 parties too (up to 3 it is listed anyway)\n"
    "  --actors LIST  the parties, as actor ids separated by commas, or all. Default: every actor when there\n"
    "                 are at most 3, else the 3 with the largest capability x salience (the principals)\n"
    "  --grid N       N evenly spaced points on each scale issue (ends included) instead of every actor's\n"
    "                 position and the reference point; GENIUS real issues keep --real-grid (default 31)\n"
    "  --utility U    linear (default) or quadratic loss of value with distance on a scale issue\n"
    "  --svg FILE     also draw the outcomes, frontier and points of the first two parties as SVG\n"
    "  -o OUT         write to OUT (atomically) instead of standard output\n"
    "  --quiet        print errors only\n\n"
    "At most 20,000,000 outcomes and 60,000,000 outcomes x parties; past that it stops with exit 2.\n";

/* The options only analyze has, taken out of argv before the common scan. */
typedef struct analyze_args {
    bool frontier;
    const char *actors, *svg, *grid, *utility;
} analyze_args;

static int take_own(int argc, char **argv, char **rest, int *nrest, analyze_args *o)
{
    static const char *const names[] = {"actors", "svg", "grid", "utility"};
    *nrest = 0;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (i == 0 || strncmp(arg, "--", 2)) {
            rest[(*nrest)++] = argv[i];
            continue;
        }
        if (!strcmp(arg, "--frontier")) {
            o->frontier = true;
            continue;
        }
        bool mine = false;
        for (size_t k = 0; k < sizeof names / sizeof *names && !mine; k++) {
            size_t n = strlen(names[k]);
            if (strncmp(arg + 2, names[k], n) || (arg[2 + n] != '\0' && arg[2 + n] != '=')) continue;
            mine = true;
            const char *val = arg[2 + n] == '=' ? arg + 3 + n : NULL;
            if (!val) {
                if (i + 1 >= argc) {
                    fprintf(stderr, "parley analyze: option %s expects a value\n", arg);
                    return EXIT_USAGE;
                }
                val = argv[++i];
            }
            const char **slot = k == 0 ? &o->actors : k == 1 ? &o->svg : k == 2 ? &o->grid : &o->utility;
            *slot = val;
        }
        if (!mine) rest[(*nrest)++] = argv[i];
    }
    return 0;
}

/* Default parties of a scenario with more than 3 actors: the 3 with the largest capability x salience
 * summed over the issues (ties by order in the file), listed in file order. */
static size_t principals(const parley_scenario *s, size_t *out)
{
    size_t na = parley_scenario_actor_count(s), top = 0;
    double best[3] = {-1, -1, -1};
    size_t who[3] = {0, 0, 0};
    for (size_t i = 0; i < na; i++) {
        double w = 0, sal;
        size_t ns = parley_actor_stance_count(s, i);
        for (size_t j = 0; j < ns; j++)
            if (parley_actor_stance_at(s, i, j, NULL, NULL, &sal, NULL)) w += sal;
        w *= parley_actor_capability(s, i);
        if (!isfinite(w)) w = 0;
        for (size_t r = 0; r < 3; r++)
            if (w > best[r]) {
                for (size_t q = 2; q > r; q--) best[q] = best[q - 1], who[q] = who[q - 1];
                best[r] = w, who[r] = i;
                break;
            }
    }
    top = na < 3 ? na : 3;
    /* file order reads better than rank order */
    for (size_t x = 0; x < top; x++)
        for (size_t y = x + 1; y < top; y++)
            if (who[y] < who[x]) {
                size_t t = who[x];
                who[x] = who[y], who[y] = t;
            }
    memcpy(out, who, top * sizeof *out);
    return top;
}

int cmd_analyze(int argc, char **argv)
{
    analyze_args o = {0};
    char **rest = malloc(((size_t)argc + 1) * sizeof *rest);
    int nrest = 0;
    if (!rest) return 1;
    int rc = take_own(argc, argv, rest, &nrest, &o);
    if (rc) {
        free(rest);
        return rc;
    }
    cli_args a;
    rc = cli_start(nrest, rest, "format,from,salience-scale,quiet,help,o", help, &a);
    if (rc >= 0) {
        free(rest);
        return rc;
    }
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    parley_analysis *an = NULL;
    size_t *parties = NULL, np = 0;
    char note[512] = "";
    if (!err) {
        rc = 1;
        goto done;
    }
    const char *format = a.format ? a.format : "text";
    if (strcmp(format, "text") && strcmp(format, "json")) {
        fprintf(stderr, "parley analyze: --format expects text or json, found \"%s\"\n", format);
        rc = EXIT_USAGE;
        goto done;
    }
    parley_analyze_options ao = {0};
    if (o.grid) {
        char *end;
        errno = 0;
        unsigned long long g = strtoull(o.grid, &end, 10);
        if (errno || *end || !cli_all_digits(o.grid) || g < 2 || g > 1000000) {
            fprintf(stderr, "parley analyze: --grid expects a whole number of points from 2 to 1000000, found \"%s\"\n", o.grid);
            rc = EXIT_USAGE;
            goto done;
        }
        ao.grid = (size_t)g;
    }
    if (o.utility) {
        if (!strcmp(o.utility, "linear")) ao.shape = PARLEY_UTILITY_LINEAR;
        else if (!strcmp(o.utility, "quadratic")) ao.shape = PARLEY_UTILITY_QUADRATIC;
        else {
            fprintf(stderr, "parley analyze: --utility expects linear or quadratic, found \"%s\"\n", o.utility);
            rc = EXIT_USAGE;
            goto done;
        }
    }
    if (o.svg && a.output && !strcmp(o.svg, a.output)) {
        fprintf(stderr, "parley analyze: --svg and -o name the same file: %s\n", o.svg);
        rc = EXIT_USAGE;
        goto done;
    }
    if ((rc = cli_read(&a, err, &s))) goto done;
    size_t na = parley_scenario_actor_count(s);
    if (!(parties = malloc((na ? na : 1) * sizeof *parties))) {
        rc = 1;
        goto done;
    }
    if (o.actors && strcmp(o.actors, "all")) {
        const char *p = o.actors;
        while (true) {
            const char *c = strchr(p, ',');
            size_t len = c ? (size_t)(c - p) : strlen(p);
            char id[1024];
            size_t idx;
            snprintf(id, sizeof id, "%.*s", (int)(len < sizeof id ? len : sizeof id - 1), p);
            if (!len || !parley_scenario_find_actor(s, id, &idx)) {
                fprintf(stderr, "parley analyze: --actors: no actor \"%s\" in %s\n", id, a.input);
                rc = EXIT_USAGE;
                goto done;
            }
            for (size_t q = 0; q < np; q++)
                if (parties[q] == idx) {
                    fprintf(stderr, "parley analyze: --actors: \"%s\" is named twice\n", id);
                    rc = EXIT_USAGE;
                    goto done;
                }
            if (np == na) break;
            parties[np++] = idx;
            if (!c) break;
            p = c + 1;
        }
    } else if (!o.actors && na > 3) {
        np = principals(s, parties);
        snprintf(note, sizeof note,
                 "(the %zu of %zu actors with the largest capability x salience; choose others with --actors A,B,... or --actors all)",
                 np, na);
    } else {
        for (size_t i = 0; i < na; i++) parties[i] = i;
        np = na;
    }
    ao.actors = parties, ao.n_actors = np;
    ao.frontier = o.frontier ? PARLEY_FRONTIER_ALWAYS : PARLEY_FRONTIER_AUTO;
    if (o.svg && np > 2) ao.frontier = PARLEY_FRONTIER_ALWAYS;
    parley_status st = parley_analyze(s, &ao, &an, err);
    if (st != PARLEY_OK) {
        rc = cli_failed(err, st);
        goto done;
    }
    if (o.svg) {
        char *svg = parley_analysis_svg(s, an, 0, 1, err);
        if (!svg) {
            rc = cli_failed(err, PARLEY_E_USAGE);
            goto done;
        }
        cli_args sa = a;
        sa.output = o.svg;
        if ((rc = cli_output(&sa, svg, err))) goto done;
    }
    rc = cli_output(&a, parley_analysis_report(s, an, format, note[0] ? note : NULL, err), err);
done:
    parley_analysis_free(an);
    free(parties);
    parley_scenario_free(s);
    parley_error_free(err);
    cli_args_free(&a);
    free(rest);
    return rc;
}
