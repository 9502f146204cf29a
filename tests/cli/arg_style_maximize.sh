#!/usr/bin/env bash
# --arg-style space gives FLAG and VALUE as two argv elements; --maximize picks the highest FoM.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

write_argv_kernel ./kernel.sh
grid=(--strategy grid --grid-size 3 --param '--x 0.5 [0.0,1.0]' --param '--n 2 [1,3]' --no-progress)

# Default: equals style, minimize. The kernel's FoM is its --x: the best is x = 0.
hpo_run run "${grid[@]}" --run-dir equals -- ./kernel.sh
expect_rc 0 "equals style"
expect_grep out.txt "best FoM: 0" "minimize picks x = 0"
expect_grep out.txt "best parameters: --x=0 --n=" "equals style in the summary"
expect_grep equals/0/argv.txt "--x=0.5" "the default point first, as --x=0.5"
[[ $(sed -n 1p equals/0/argv.txt) == "--x=0.5" ]] || fail "equals style: first argument is not --x=0.5"

# Space style and maximize.
# Each run its own checkpoint: the first one wrote the default hpo.h5.
hpo_run run "${grid[@]}" --arg-style space --maximize --run-dir space --checkpoint space.h5 -- ./kernel.sh
expect_rc 0 "space style, maximize"
expect_grep out.txt "best FoM: 1" "maximize picks x = 1"
expect_grep out.txt "best parameters: --x 1 --n " "space style in the summary"
mapfile -t argv < space/0/argv.txt
[[ ${argv[0]} == "--x" && ${argv[1]} == "0.5" && ${argv[2]} == "--n" && ${argv[3]} == "2" ]] ||
    fail "space style: trial 0 got argv '${argv[*]}', expected '--x' '0.5' '--n' '2'"
if grep -qF -- "--x=" space/*/argv.txt; then fail "space style still passed --x=VALUE"; fi

echo "arg style and maximize: ok"
