# Under mpirun, kernels that hang, crash or fail become recorded trials; the run completes.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

cat > kernel.sh <<'KERNEL'
#!/bin/sh
case "$1" in
  --mode=hang) sleep 60 ;;
  --mode=crash) kill -SEGV $$ ;;
  --mode=fail) echo "FoM: 1"; echo "boom" >&2; exit 3 ;;
  --mode=nofom) echo "nothing" ;;
  *) echo "FoM: 0.5" ;;
esac
KERNEL
start=$(date +%s)
mpi_hpo 4 1 run --strategy grid --param '--mode ok {ok,hang,crash,fail,nofom}' --timeout 2 \
  --run-dir runs --log run.log -- sh "$work/kernel.sh" > out.txt 2> err.txt || { cat err.txt; fail "hpo failed"; }
elapsed=$(( $(date +%s) - start ))
[ "$elapsed" -lt 40 ] || fail "took ${elapsed}s: a hung kernel blocked the run"
grep -q "timeout=1" run.log || fail "no timeout recorded: $(cat run.log)"
grep -q "crashed=1" run.log || fail "no crash recorded"
grep -q "failed=1" run.log || fail "no failure recorded"
grep -q "no_fom=1" run.log || fail "no no_fom recorded"
grep -q "ok=1" run.log || fail "the good kernel is not ok"
grep -q "^best FoM: 0.5" run.log || fail "best is not the ok trial: $(grep best run.log)"
echo "ok in ${elapsed}s"
