/* cmd_brief.c - parley brief: the answer on two pages, as HTML or, through headless chromium, as PDF. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

extern char **environ;

static const char help[] =
    "usage: parley brief FILE -o brief.html|brief.pdf [--model SPEC] [--draws N] [--seed S] [--threads T]\n\n"
    "Writes a brief that prints on two A4 pages, self-contained (no network access when opened): page 1 the\n"
    "At a glance table (the headline forecast of each issue, its 80% interval, the other models' range) and\n"
    "the headline forecast in each variant the scenario declares; page 2 each issue's scale with the actors\n"
    "and every model's forecast, and the three uncertain numbers that move the headline forecast most (each\n"
    "alone across its range, over N Monte Carlo draws, default 1000). An OUT ending in .pdf is printed by\n"
    "headless chromium (PARLEY_CHROMIUM, else chromium on the PATH); anything else is HTML.\n\n"
    "  --model SPEC   models and options, as for parley forecast\n"
    "  --draws N      Monte Carlo draws of the scenario's ranges (default 1000)\n"
    "  --seed S       seed (default 1)\n"
    "  --threads T    worker threads (default PARLEY_THREADS, else one per core)\n"
    "  -o OUT         the file to write (atomically); without it, the HTML goes to standard output\n"
    "  --archive DB   also record the run in the archive DB (default PARLEY_ARCHIVE; docs/archive.md)\n"
    "  --quiet        print errors only\n";

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && !strcmp(s + n - t, tail);
}

/* Prints html to PDF with headless chromium in a private folder, then writes the PDF to the output as
 * every -o is written (atomically, never over an input). Returns the exit code. */
static int print_pdf(const cli_args *a, const char *html, parley_error *err)
{
    const char *tmpdir = getenv("TMPDIR");
    char dir[512], in[600], pdf[600], prof[600], arg_pdf[700], arg_prof[700], url[700];
    snprintf(dir, sizeof dir, "%s/parley-brief-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    if (!mkdtemp(dir)) {
        fprintf(stderr, "parley brief: cannot make a temporary folder in %s: %s\n", tmpdir && *tmpdir ? tmpdir : "/tmp", strerror(errno));
        return 1;
    }
    snprintf(in, sizeof in, "%s/brief.html", dir), snprintf(pdf, sizeof pdf, "%s/brief.pdf", dir);
    snprintf(prof, sizeof prof, "%s/profile", dir);
    snprintf(arg_pdf, sizeof arg_pdf, "--print-to-pdf=%s", pdf), snprintf(arg_prof, sizeof arg_prof, "--user-data-dir=%s", prof);
    snprintf(url, sizeof url, "file://%s", in);
    int rc = 1;
    FILE *f = fopen(in, "w");
    if (!f || fputs(html, f) == EOF || fclose(f) != 0) {
        fprintf(stderr, "parley brief: cannot write %s: %s\n", in, strerror(errno));
        goto clean;
    }
    const char *chromium = getenv("PARLEY_CHROMIUM");
    if (!chromium || !*chromium) chromium = "chromium";
    char *argv[] = {(char *)chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                    "--no-pdf-header-footer", arg_prof, arg_pdf, url, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    /* chromium's chatter is not parley's output */
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int e = posix_spawnp(&pid, chromium, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    int status = 0;
    if (e) {
        fprintf(stderr, "parley brief: cannot run %s to print the PDF (%s); install Debian's chromium, set PARLEY_CHROMIUM, "
                        "or write HTML (-o brief.html)\n", chromium, strerror(e));
        rc = EXIT_USAGE;
        goto clean;
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    FILE *p = fopen(pdf, "rb");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !p) {
        fprintf(stderr, "parley brief: %s did not print the PDF (exit status %d)\n", chromium, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        if (p) fclose(p);
        goto clean;
    }
    size_t cap = 1 << 16, len = 0, got;
    char *data = malloc(cap);
    while (data && (got = fread(data + len, 1, cap - len, p)) > 0)
        if ((len += got) == cap) {
            char *bigger = realloc(data, cap *= 2);
            if (!bigger) free(data);
            data = bigger;
        }
    fclose(p);
    if (!data) {
        fprintf(stderr, "parley brief: out of memory\n");
        goto clean;
    }
    const char *inputs[] = {a->input};
    parley_write_options wo = {inputs, 1};
    parley_status st = parley_write_file_to(a->output, data, len, &wo, err);
    free(data);
    if (st != PARLEY_OK) cli_print_diags(err, false);
    rc = parley_status_exit_code(st);
clean:
    unlink(in), unlink(pdf);
    /* the profile chromium made: removed with rm, as its tree is chromium's own */
    pid_t rm;
    char *rmv[] = {"rm", "-rf", dir, NULL};
    if (posix_spawnp(&rm, "rm", NULL, NULL, rmv, environ) == 0) while (waitpid(rm, NULL, 0) < 0 && errno == EINTR) {}
    return rc;
}

int cmd_brief(int argc, char **argv)
{
    cli_args a;
    int rc = cli_start(argc, argv, "model,from,salience-scale,seed,quiet,help,o,draws,threads,archive", help, &a);
    if (rc >= 0) return rc;
    cli_catch_interrupt();
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL, **vs = NULL;
    parley_plan *plan = NULL;
    parley_result *r = NULL, **vr = NULL;
    parley_mc *mc = NULL;
    double *lo = NULL, *hi = NULL;
    size_t nv = 0;
    if (!err) return 1;
    if ((rc = cli_read(&a, err, &s))) goto done;
    if ((rc = cli_plan(&a, s, err, &plan))) goto done;
    parley_status st = (r = cli_run(&a, s, plan, err)) ? PARLEY_OK : PARLEY_E_MODEL;
    if (st == PARLEY_OK) st = cli_uncertainty(&a, s, plan, 1000, true, true, &mc, &lo, &hi, err);
    nv = parley_variant_count(s);
    if (st == PARLEY_OK) st = cli_run_variants(&a, s, plan, nv, &vs, &vr, err);
    if (st != PARLEY_OK) {
        rc = cli_failed(err, st);
        goto done;
    }
    cli_print_diags(err, a.quiet);
    parley_error_clear(err);
    char *html = parley_brief_html(s, r, mc, lo, hi, (const parley_scenario *const *)vs, (const parley_result *const *)vr, nv, err);
    if (html && a.output && ends_with(a.output, ".pdf")) {
        rc = print_pdf(&a, html, err);
        free(html);
    } else {
        rc = cli_output(&a, html, err);
    }
    if (rc == 0) rc = cli_archive(&a, "brief", s, r, (const parley_result *const *)vr, nv, mc);
done:
    cli_variants_free(vs, vr, nv);
    free(lo), free(hi);
    parley_mc_free(mc);
    parley_result_free(r);
    parley_plan_free(plan);
    parley_scenario_free(s);
    parley_error_free(err);
    cli_args_free(&a);
    return cli_interrupt_exit("brief", rc);
}
