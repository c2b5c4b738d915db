# An ensemble over 2 MPI ranks gives exactly the numbers of one process: the per-future totals are
# gathered in future order and the monthly histograms and sums are integers added exactly. (mpirun
# runs as root in CI, hence the two OMPI_ variables; Open MPI's own allocations are not ours to
# leak-check, hence detect_leaks=0 for the ranks under AddressSanitizer.)
  $ rmct simulate ree-china-halves-6m --runs 4000 --seed 3 --threads 1 --format csv --svg one > one.csv && echo done
  done

  $ OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 ASAN_OPTIONS=detect_leaks=0 mpirun --oversubscribe -np 2 rmct simulate ree-china-halves-6m --runs 4000 --seed 3 --threads 1 --format csv --svg two < /dev/null > two.csv && echo done
  done

  $ cmp one.csv two.csv && cmp one/fan.svg two/fan.svg && echo identical
  identical

  $ OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 ASAN_OPTIONS=detect_leaks=0 mpirun --oversubscribe -np 2 rmct simulate ree-china-halves-6m --runs 4000 --seed 3 --threads 2 < /dev/null | grep -o '4000 futures, seed 3, 2 thread(s) x 2 MPI ranks'
  4000 futures, seed 3, 2 thread(s) x 2 MPI ranks

  $ sed -n 2p one.csv | cut -d, -f1-3
  metal shortfall,Nd,t

