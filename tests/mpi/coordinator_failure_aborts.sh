# When rank 0 fails (here: it cannot write its log), the whole MPI job ends instead of hanging.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

status=0
timeout 120 "$MPIEXEC" --oversubscribe -n 3 "$HPO_BIN" run --strategy random --evals 5 \
  --param '--x [0.0,1.0]' --log "$work/no/such/dir/run.log" -- sh "$KERNELS/placement_kernel.sh" \
  > out.txt 2> err.txt || status=$?
[ "$status" -ne 124 ] || fail "the job hung after the coordinator failed"
[ "$status" -ne 0 ] || fail "the job succeeded although rank 0 could not write its log"
grep -q "log" err.txt || fail "the error does not say what went wrong: $(cat err.txt)"
echo "ok: exit $status"
