# 1 coordinator + 4 workers on two (pretend) nodes, 2 demes: every planned evaluation ran once,
# each deme's individuals ran on its own node's workers, and the best beats the default point.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

mpi_hpo 5 2 run --strategy genetic --generations 4 --pop-size 6 --demes 2 --migration-interval 2 --seed 3 \
  --param '--x 0.9 [0.0,1.0]' --param '--y 7 [0,10]' --run-dir runs --log run.log \
  -- sh "$KERNELS/placement_kernel.sh" > out.txt 2> err.txt || { cat err.txt; fail "hpo exited with $?"; }

planned=$(sed -n 's/^planned evaluations: \([0-9]*\).*/\1/p' run.log)
[ -n "$planned" ] || fail "no planned evaluations in the log"
ran=$(find runs -name placement | wc -l)
[ "$ran" -eq "$planned" ] || fail "$ran evaluations ran, $planned planned"
ids=$(cat runs/*/placement | awk '{print $5}' | sort -u | wc -l)
[ "$ids" -eq "$planned" ] || fail "trial ids are not unique: $ids distinct of $planned"

# Deme 0 lives on node0 (workers 1,2), deme 1 on node1 (workers 3,4), each a communicator of 2.
bad=$(cat runs/*/placement | awk '!(($1 == 0 && $2 == "node0") || ($1 == 1 && $2 == "node1")) || $4 != 2' | wc -l)
[ "$bad" -eq 0 ] || { cat runs/*/placement; fail "$bad evaluations ran outside their deme's node"; }
for deme in 0 1; do
  count=$(awk -v d=$deme '$1 == d' runs/*/placement | wc -l)
  [ "$count" -gt 0 ] || fail "deme $deme evaluated nothing"
done

best=$(sed -n 's/^best FoM: \([^ ]*\).*/\1/p' run.log)
[ -n "$best" ] || fail "no best FoM in the log"
awk -v b="$best" 'BEGIN { exit !(b <= (0.9 - 0.3) ^ 2 + (7 - 2) ^ 2) }' || fail "best $best is worse than the default point"
grep -q "^migration after generation" run.log || fail "no migration logged"
grep -q "^generation 3:" run.log || fail "generation 3 not logged"
echo "ok: $planned evaluations, best $best"
