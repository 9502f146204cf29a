# Exact restart: a generational genetic search under mpirun, killed with SIGKILL (the whole job:
# mpirun, every rank, every kernel) at random moments and resumed each time, ends with exactly
# the trial table (demes, generations, parameters, FoMs, statuses, parents) of an uninterrupted run.
# The demes evolve apart between migrations and three workers return results in varying orders,
# so trials are matched by deme, generation and place in that deme's generation, not by id (ids
# follow the order in which demes finished their generations). With --checkpoint-interval 0
# every result is a commit, so many kills land mid-commit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/kill_resume.sh"

search=(--strategy genetic --generations 12 --pop-size 6 --demes 2 --migration-interval 2 --seed 17
        --param '--x 0.9 [0.0,1.0]' --param '--y 7 [0,10]' --param '--z 2.0 [0.01,100.0] log'
        --run-dir runs --checkpoint-interval 0 --no-progress -- sh "$KERNELS/deterministic_kernel.sh")

mpi_hpo 4 3 run --checkpoint reference.h5 "${search[@]}" > reference.out 2> reference.err \
  || { cat reference.err; fail "the uninterrupted run failed"; }
kill_resume_until_done killed.h5 deterministic_kernel.sh "${search[@]}"

"$HPO_BIN" export reference.h5 --format json -o reference.json
"$HPO_BIN" export killed.h5 --format json -o killed.json
python3 "$here/lib/same_trials.py" --by-slot reference.json killed.json
[ "$(grep '^best FoM' reference.out)" = "$("$HPO_BIN" show killed.h5 | grep '^best FoM')" ] \
  || fail "the best differs: $(grep '^best FoM' reference.out) vs $("$HPO_BIN" show killed.h5 | grep '^best FoM')"
echo "ok after $kills kills"
