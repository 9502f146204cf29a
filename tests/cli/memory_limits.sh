#!/usr/bin/env bash
# Under a memory limit, many workers end cleanly (issue 12: `--parallel 1000` under a limit died
# with "terminate called without an active exception"): the run works, or hpo says what failed
# and exits 1. Never an abort, never a checkpoint left unreadable.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

write_quadratic_kernel ./kernel.sh

# limited KB ARGS...: hpo under `ulimit -v KB` (virtual memory: thread stacks count in full).
limited() {
    local kb=$1
    shift
    set +e
    (ulimit -v "$kb" && exec "$HPO_BIN" "$@") > out.txt 2> err.txt
    rc=$?
    set -e
}

# AddressSanitizer reserves terabytes of address space: under `ulimit -v` a sanitized hpo cannot
# start at all, so only the limits checked up front are tested there.
build_dir=$(dirname "$(dirname "$HPO_BIN")")
sanitized=0
grep -q '^HPO_SANITIZE:BOOL=ON' "$build_dir/CMakeCache.txt" 2> /dev/null && sanitized=1

for kb in 300000 600000; do
    ((sanitized == 0)) || break
    rm -rf hpo-runs run.h5
    limited "$kb" run --param '--x [0.0,1.0]' --param '--y [0,4]' --strategy random --evals 40 --parallel 1000 \
        --checkpoint run.h5 --no-progress -- ./kernel.sh
    if grep -qF "terminate called" err.txt || ((rc > 3)); then
        show_output
        fail "--parallel 1000 under ulimit -v $kb: exit status $rc"
    fi
    if ((rc == 0)); then
        expect_grep out.txt "trials: 40 (40 ok)" "--parallel 1000 under ulimit -v $kb ran every trial"
    else
        expect_rc 1 "--parallel 1000 under ulimit -v $kb"
        expect_grep err.txt "hpo: error: " "--parallel 1000 under ulimit -v $kb: the error is reported"
        if [[ -e run.h5 ]]; then
            "$HPO_BIN" show run.h5 > /dev/null || fail "the checkpoint left under ulimit -v $kb is unreadable"
        fi
    fi
    echo "ulimit -v $kb: exit status $rc; $(head -c 300 err.txt)"
done

# Memory that runs out while the configuration is read (a million-option choice in 100 MB):
# one message and exit 1, wherever std::bad_alloc was thrown.
if ((sanitized == 0)); then
    printf 'param = --c {%s}\ncommand = ./kernel.sh\nno-checkpoint = true\n' "$(seq -s, 0 999999)" > huge.ini
    limited 100000 run --config huge.ini --strategy random --evals 3 --parallel 1 --no-progress
    if ((rc == 0)); then
        echo "note: a million-option choice fitted in 100 MB here; the out-of-memory path was not reached"
    else
        expect_rc 1 "a million-option choice under ulimit -v 100000"
        expect_grep err.txt "hpo: error: out of memory" "std::bad_alloc reported as such"
        [[ $(wc -l < err.txt) -le 2 ]] || { show_output; fail "more than one message for std::bad_alloc"; }
    fi
fi

# Sizes that would exhaust memory are refused up front, with the limit named (exit 2).
hpo_run run --param '--x [0.0,1.0]' --parallel 5000 -- ./kernel.sh
expect_rc 2 "--parallel 5000"
expect_grep err.txt "at most 4096" "--parallel 5000"
hpo_run run --param '--x [0.0,1.0]' --pop-size 100000 --demes 100 --generations 1 -- ./kernel.sh
expect_rc 2 "--pop-size 100000 --demes 100"
expect_grep err.txt "--pop-size * --demes must be at most 1000000" "--pop-size 100000 --demes 100"
echo "memory limits: ok"
