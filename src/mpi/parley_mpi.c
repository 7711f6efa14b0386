/* parley_mpi.c - parley-mpi: the Monte Carlo command with its draws spread over MPI ranks.
 *
 * Rank r runs the draws i with i % ranks == r (each with the generator of (seed, i), as in one process),
 * sends their inputs and outputs to rank 0, which puts every row back in its slot and writes the report:
 * the same bytes as `parley montecarlo` with the same seed. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cli/cli.h"

static const char help[] =
    "usage: mpirun -np N parley-mpi montecarlo FILE [--draws N] [--model SPEC] [--seed S] [--threads T]\n"
    "                                          [--threshold 'ISSUE>=VALUE' ...] [--format text|json] [-o OUT]\n\n"
    "parley montecarlo with its draws spread over MPI ranks (and --threads threads in each). Rank 0 writes\n"
    "the report, byte for byte what parley montecarlo writes for the same seed. See docs/montecarlo.md for\n"
    "hostfiles and Slurm.\n";

/* Returns the number of draws rank r runs out of n over `ranks` ranks. */
static size_t share(size_t n, int r, int ranks)
{
    return n > (size_t)r ? (n - (size_t)r + (size_t)ranks - 1) / (size_t)ranks : 0;
}

/* Moves every rank's draws to rank 0. Returns false when out of memory. */
static bool gather(parley_mc *mc, int rank, int ranks)
{
    size_t nin = parley_mc_input_count(mc), nout = parley_mc_output_count(mc), row = nin + nout, draws = parley_mc_draws(mc);
    size_t most = share(draws, 0, ranks);
    double *buf = malloc((most * row > 0 ? most * row : 1) * sizeof *buf);
    int ok = buf != NULL, all_ok;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all_ok) {
        free(buf);
        return false;
    }
    if (rank != 0) {
        size_t k = 0;
        for (size_t d = (size_t)rank; d < draws; d += (size_t)ranks, k++) {
            memcpy(buf + k * row, parley_mc_inputs_of(mc, d), nin * sizeof *buf);
            memcpy(buf + k * row + nin, parley_mc_outputs_of(mc, d), nout * sizeof *buf);
        }
        MPI_Send(buf, (int)(k * row), MPI_DOUBLE, 0, 1, MPI_COMM_WORLD);
    } else {
        for (int r = 1; r < ranks; r++) {
            size_t n = share(draws, r, ranks);
            MPI_Recv(buf, (int)(n * row), MPI_DOUBLE, r, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            size_t k = 0;
            for (size_t d = (size_t)r; d < draws; d += (size_t)ranks, k++) {
                memcpy(parley_mc_inputs_of(mc, d), buf + k * row, nin * sizeof *buf);
                memcpy(parley_mc_outputs_of(mc, d), buf + k * row + nin, nout * sizeof *buf);
                parley_mc_mark_done(mc, d);
            }
        }
    }
    free(buf);
    return true;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank = 0, ranks = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    if (argc < 2 || strcmp(argv[1], "montecarlo")) {
        if (rank == 0) fputs(help, argc >= 2 && !strcmp(argv[1], "--help") ? stdout : stderr);
        MPI_Finalize();
        return argc >= 2 && !strcmp(argv[1], "--help") ? 0 : EXIT_USAGE;
    }
    cli_args a;
    int rc = cli_start(argc - 1, argv + 1, "model,format,from,salience-scale,seed,quiet,help,o,draws,threads,threshold",
                       rank == 0 ? help : "", &a);
    if (rc >= 0) {
        MPI_Finalize();
        return rc;
    }
    if (rank != 0) a.quiet = true; /* one rank speaks */
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    parley_plan *plan = NULL;
    parley_mc *mc = NULL;
    if ((rc = cli_read(&a, err, &s)) == 0 && parley_mc_check_thresholds(s, a.thresholds, a.n_thresholds, err) != PARLEY_OK) {
        if (rank == 0) cli_print_diags(err, false);
        rc = EXIT_USAGE;
    } else if (rc == 0 && (rc = cli_plan(&a, s, err, &plan)) == 0) {
        mc = parley_mc_new(s, plan, a.draws ? a.draws : 1000, a.seed, err);
        if (!mc) {
            if (rank == 0) cli_print_diags(err, false);
            rc = parley_status_exit_code(parley_error_status(err) ? parley_error_status(err) : PARLEY_E_NOMEM);
        }
    }
    if (mc) {
        parley_error_clear(err);
        parley_mc_options o = {a.threads, NULL, NULL, NULL};
        parley_status st = parley_mc_run(mc, (size_t)rank, (size_t)ranks, &o, err);
        int good = st == PARLEY_OK, all_good;
        MPI_Allreduce(&good, &all_good, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
        if (!good) cli_print_diags(err, false);
        if (!all_good) rc = parley_status_exit_code(st != PARLEY_OK ? st : PARLEY_E_MODEL);
        else if (!gather(mc, rank, ranks)) rc = parley_status_exit_code(PARLEY_E_NOMEM);
        else if (rank == 0) rc = cli_output(&a, parley_mc_report(mc, a.format ? a.format : "text", a.thresholds, a.n_thresholds, err), err);
    }
    parley_mc_free(mc);
    parley_plan_free(plan);
    parley_scenario_free(s);
    parley_error_free(err);
    cli_args_free(&a);
    MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Finalize();
    return rc;
}
