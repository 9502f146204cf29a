#!/usr/bin/env bash
# The C++ driver example (README.md, "C++ driver API") builds, runs a genetic search over the
# example kernel and reports a best FoM no worse than the kernel's default point.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

driver=$(dirname "$HPO_BIN")/genetic_driver
[[ -x $driver ]] || fail "the example driver $driver was not built"
: "${HPO_SOURCE_DIR:?HPO_SOURCE_DIR must name the source tree (ctest sets it)}"
kernel=$HPO_SOURCE_DIR/examples/sin_kernel.py
default_fom=$(python3 "$kernel" | sed -n 's/^FoM: //p')

set +e
"$driver" > out.txt 2> err.txt
rc=$?
set -e
expect_rc 0 "genetic_driver"
fom=$(best_fom)
[[ -n $fom ]] || { show_output; fail "no 'best FoM:' line"; }
le "$fom" "$default_fom" || { show_output; fail "best FoM $fom is worse than the default's $default_fom"; }
expect_grep out.txt "best parameters: --lr=" "best parameters printed in the kernel's syntax"
expect_grep genetic.log "generation" "the driver's log_fn"
params=$(sed -n 's/^best parameters: //p' out.txt)
# shellcheck disable=SC2086
replay=$(python3 "$kernel" $params | sed -n 's/^FoM: //p')
awk -v a="$replay" -v b="$fom" 'BEGIN { r = (a - b) / b; exit !(r < 1e-4 && r > -1e-4) }' ||
    fail "the best parameters '$params' give FoM $replay, not the reported $fom"

echo "driver example: ok (best $fom, default $default_fom)"
