#!/usr/bin/env bash
# Which words of the kernel command hpo makes absolute (README: The training kernel; issue 12:
# `--epochs 3` became /abs/path/3 because a file 3 lay there). The program is found from where
# hpo starts; of its arguments only those holding a '/' that name a file or directory there are
# anchored. A bare word is passed as it is, whatever files share its name (with a warning).
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

write_argv_kernel ./kernel.sh
mkdir -p data sub
touch 3 adam train.py sub/file.txt

run_kernel() {
    rm -rf hpo-runs
    hpo_run run --param '--x 0.5 [0.0,1.0]' --strategy random --evals 1 --no-checkpoint --no-progress -- "$@"
    expect_rc 0 "run with: $*"
}

# arg N: line N of the first trial's argv (1: the first argument after the program).
arg() { sed -n "${1}p" hpo-runs/0/argv.txt; }

run_kernel ./kernel.sh --epochs 3 --opt adam train.py ./train.py data/ ./data ../"$(basename "$work")"/sub/file.txt \
    sub/file.txt missing/file --out=./data
expected=(--epochs 3 --opt adam train.py "$work/train.py" "$work/data/" "$work/data" "$work/sub/file.txt"
          "$work/sub/file.txt" missing/file --out=./data --x=0.5)
for i in "${!expected[@]}"; do
    got=$(arg $((i + 1)))
    [[ $got == "${expected[$i]}" ]] || { show_output; cat hpo-runs/0/argv.txt >&2; fail "argument $((i + 1)): '$got', expected '${expected[$i]}'"; }
done
# The bare words that name files here are named in a warning, with the way to anchor them.
for word in 3 adam train.py; do
    expect_grep err.txt "warning: '$word' in the kernel command names a file here" "a warning for the bare word $word"
done
expect_grep err.txt "write ./train.py" "the warning says how to anchor train.py"
if grep -qF "'--epochs'" err.txt; then fail "a warning for an option"; fi

# The program: a bare name of a file here, or a relative path, is found from here.
run_kernel kernel.sh --epochs 3
[[ $(arg 2) == 3 ]] || fail "'3' changed after a bare program name: $(arg 2)"
(cd sub && ln -s ../kernel.sh k.sh)
run_kernel sub/k.sh
[[ -s hpo-runs/0/argv.txt ]] || fail "the program sub/k.sh did not run"
echo "kernel paths: ok"
