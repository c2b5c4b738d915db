/* sim_mpi.c: an ensemble over MPI ranks ('mpirun -np N rmct simulate ... --runs R'). Each rank
 * computes a contiguous range of futures; rank 0 gathers the per-future totals in future order and
 * the integer histograms and sums by exact addition, so the result is bit-identical to one
 * process. MPI is initialised only when the process was started by mpirun (Open MPI's
 * OMPI_COMM_WORLD_SIZE, or PMI_SIZE), so every other use of rmct never touches it. */
#include <mpi.h>
#include <stdlib.h>
#include <string.h>

#include "sim_cli.h"

static bool mpi_active;

void sim_mpi_start(int *argc, char ***argv, int *rank, int *ranks)
{
    *rank = 0;
    *ranks = 1;
    const char *size = getenv("OMPI_COMM_WORLD_SIZE");
    if (!size) size = getenv("PMI_SIZE");
    if (!size || atoi(size) < 1) return;
    MPI_Init(argc, argv);
    mpi_active = true;
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, ranks);
}

void sim_mpi_finish(void)
{
    if (mpi_active) MPI_Finalize();
    mpi_active = false;
}

bool sim_mpi_any(bool failed)
{
    if (!mpi_active) return failed;
    int mine = failed, any = 0;
    MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD);
    return any != 0;
}

rmct_code sim_mpi_gather(const rmct_model *m, rmct_ensemble *part, long runs, rmct_ensemble **whole, rmct_error *err)
{
    *whole = NULL;
    int rank = 0, ranks = 1;
    if (!mpi_active) {
        *whole = part;
        return RMCT_OK;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    rmct_ensemble *w = NULL;
    int failed = 0;
    if (rank == 0 && rmct_ensemble_alloc(m, runs, 0, runs, &w, err)) failed = 1;
    MPI_Bcast(&failed, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (failed) return rank == 0 ? err->code : rmct_error_set(err, RMCT_E_NOMEM, "rank 0 is out of memory");
    /* per-future totals, in rank order = future order */
    int M = part->metrics;
    int *counts = NULL, *displs = NULL;
    if (rank == 0) {
        counts = calloc((size_t)ranks, sizeof *counts);
        displs = calloc((size_t)ranks, sizeof *displs);
        for (int r = 0; r < ranks; r++) {
            long first = runs * r / ranks, last = runs * (r + 1) / ranks;
            counts[r] = (int)((last - first) * M);
            displs[r] = (int)(first * M);
        }
    }
    MPI_Gatherv(part->totals, (int)(part->count * M), MPI_DOUBLE, rank == 0 ? w->totals : NULL, counts, displs, MPI_DOUBLE,
                0, MPI_COMM_WORLD);
    free(counts);
    free(displs);
    /* integers add exactly, in any order */
    int cells = part->series * part->months;
    MPI_Reduce(part->hist, rank == 0 ? w->hist : NULL, cells * RMCT_HIST_BINS, MPI_INT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
    MPI_Reduce(part->sum_fx, rank == 0 ? w->sum_fx : NULL, cells, MPI_INT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
    int64_t mine[2] = {part->episodes, part->futures_disrupted}, all[2] = {0, 0};
    MPI_Reduce(mine, all, 2, MPI_INT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        w->episodes = all[0];
        w->futures_disrupted = all[1];
    }
    *whole = w;
    return RMCT_OK;
}
