/* cmd_advise.c - parley advise: "what should we do?" for one actor, every figure measured by rerunning the models. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "cli.h"

static const char help[] =
    "usage: parley advise FILE --actor ID [--model SPEC] [--seed S] [--threads T] [--format text|json|html]\n"
    "                     [-o OUT]\n\n"
    "What one actor can do to move the forecast its way. Per issue it takes part in: what the headline\n"
    "forecast (the ensemble's median) is worth to it against the status quo, which of its own numbers\n"
    "(its position a tenth of the scale up or down, its salience 0.1 up or down) moves that forecast most\n"
    "its way, which other actor to persuade (the one whose position, moved a tenth of the scale toward it,\n"
    "moves the forecast most its way), and the trades the exchange model made with it. Every figure comes\n"
    "from running the models again with that one number changed (docs/advise.md).\n\n"
    "  --actor ID     the actor to advise (its id in the scenario)\n"
    "  --model SPEC   models and options, as for parley forecast (default: the scenario's, else every model)\n"
    "  --seed S       seed (default 1)\n"
    "  --threads T    worker threads (default PARLEY_THREADS, else one per core)\n"
    "  --format F     text (default), json (every move tried) or html (a self-contained page)\n"
    "  -o OUT         write to OUT (atomically) instead of standard output\n"
    "  --archive DB   also record the run in the archive DB (default PARLEY_ARCHIVE; docs/archive.md)\n"
    "  --quiet        print errors only\n";

/* --actor is this command's own option: taken out of argv before the shared scanner sees the rest. */
static int take_actor(int *argc, char **argv, const char **actor)
{
    int w = 1;
    for (int i = 1; i < *argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "--actor") || !strcmp(arg, "-actor")) {
            if (i + 1 >= *argc) {
                fprintf(stderr, "parley advise: option --actor expects a value\n");
                return EXIT_USAGE;
            }
            *actor = argv[++i];
        } else if (!strncmp(arg, "--actor=", 8)) {
            *actor = arg + 8;
        } else {
            argv[w++] = argv[i];
        }
    }
    *argc = w;
    argv[w] = NULL;
    return 0;
}

/* An id that names no actor: the closest as a hint, else the ids there are. */
static void unknown_actor(const parley_scenario *s, const char *file, const char *id)
{
    size_t n = parley_scenario_actor_count(s);
    const char **ids = malloc((n ? n : 1) * sizeof *ids);
    for (size_t i = 0; ids && i < n; i++) ids[i] = parley_actor_id(s, i);
    const char *hint = ids ? pu_did_you_mean(id, ids, n) : NULL;
    char clean[256];
    parley_escape_text(id, clean, sizeof clean);
    fprintf(stderr, "%s: error: --actor: expected the id of an actor of the scenario, found \"%s\"", file, clean);
    if (hint) fprintf(stderr, "; did you mean \"%s\"?\n", hint);
    else {
        fputs("; the actors are:", stderr);
        for (size_t i = 0; i < n; i++) fprintf(stderr, "%s %s", i ? "," : "", ids ? ids[i] : parley_actor_id(s, i));
        fputs("\n", stderr);
    }
    free(ids);
}

int cmd_advise(int argc, char **argv)
{
    const char *actor_id = NULL;
    int rc = take_actor(&argc, argv, &actor_id);
    if (rc) return rc;
    cli_args a;
    rc = cli_start(argc, argv, "model,format,from,salience-scale,seed,quiet,help,o,threads,archive", help, &a);
    if (rc >= 0) return rc;
    const char *format = a.format ? a.format : "text";
    if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "html")) {
        fprintf(stderr, "parley advise: --format expects text, json or html, found \"%s\"\n", format);
        cli_args_free(&a);
        return EXIT_USAGE;
    }
    if (!actor_id) {
        fprintf(stderr, "parley advise: expected --actor ID, the actor to advise (see parley advise --help)\n");
        cli_args_free(&a);
        return EXIT_USAGE;
    }
    cli_catch_interrupt();
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    parley_plan *plan = NULL;
    parley_advice *adv = NULL;
    if (!err) return 1;
    if ((rc = cli_read(&a, err, &s))) goto done;
    size_t actor;
    if (!parley_scenario_find_actor(s, actor_id, &actor)) {
        unknown_actor(s, a.input, actor_id);
        rc = EXIT_USAGE;
        goto done;
    }
    if ((rc = cli_plan(&a, s, err, &plan))) goto done;
    parley_run_options ro = {0, a.threads, &cli_interrupted};
    parley_advise_options ao = {0, 0, &ro};
    parley_status st = parley_advise(s, plan, actor, a.seed, &ao, &adv, err);
    if (st != PARLEY_OK) {
        rc = cli_failed(err, st);
        goto done;
    }
    cli_print_diags(err, a.quiet);
    parley_error_clear(err);
    rc = cli_output(&a, parley_advice_report(s, adv, format, err), err);
    if (rc == 0) rc = cli_archive(&a, "advise", s, parley_advice_base(adv), NULL, 0, NULL);
done:
    parley_advice_free(adv);
    parley_plan_free(plan);
    parley_scenario_free(s);
    parley_error_free(err);
    cli_args_free(&a);
    return cli_interrupt_exit("advise", rc);
}
