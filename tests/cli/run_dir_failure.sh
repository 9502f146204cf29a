#!/usr/bin/env bash
# A trial that hpo cannot start for its own reasons (here: its trial directory cannot be created)
# is no kernel failure: the run stops with exit 1 and one message naming the directory and the
# error, no failed trial is recorded, the trials already finished are kept, and a resume (with a
# usable run directory) runs the pending trials and completes the budget.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

write_quadratic_kernel kernel.sh
args=(--param '--x 0.9 [0.0,1.0]' --strategy random --evals 8 --seed 5 --parallel 2 --no-progress)
# The status column, found by its name in the header (no field before it holds a comma here).
statuses() { "$HPO_BIN" export "$1" --format csv |
             awk -F, 'NR == 1 {for (i = 1; i <= NF; ++i) if ($i == "status") c = i; next} {print $c}' |
             sort | uniq -c | tr -s ' '; }

# 1. From the start: the run directory is below a regular file (root ignores chmod, not this).
touch plain-file
hpo_run run "${args[@]}" --run-dir plain-file/runs -- ./kernel.sh
expect_rc 1 "a run whose run directory cannot be created"
expect_grep err.txt "plain-file/runs/" "the message names the directory"
expect_grep err.txt "Not a directory" "the message gives the error"
expect_grep err.txt "hpo resume hpo.h5" "the message says how to continue"
hpo_run show hpo.h5
expect_rc 0 "show of the stopped run"
expect_grep out.txt "trials: 0" "no trial is recorded, failed or otherwise"
hpo_run resume hpo.h5 --run-dir runs --no-progress
expect_rc 0 "the resume with a usable run directory"
expect_grep out.txt "trials: 8 (8 ok)" "the resume completes the budget"

# 2. Mid-run, on one worker: trial 1's kernel puts a file where trial 5's directory goes.
cat > blocking.sh << 'KERNEL'
#!/usr/bin/env bash
[[ $HPO_TRIAL_ID == 1 ]] && touch "$HPO_RUN_DIR/5"
exec "$(dirname "$0")/kernel.sh" "$@"
KERNEL
chmod +x blocking.sh
hpo_run run "${args[@]}" --run-dir mid --checkpoint mid.h5 -- "$PWD/blocking.sh"
expect_rc 1 "a run in which a trial directory cannot be created"
expect_grep err.txt "mid/5: a file is in the way" "the message names the directory"
hpo_run show mid.h5
recorded=$(sed -n 's/^trials: \([0-9]*\).*/\1/p' out.txt)
((recorded >= 1 && recorded < 8)) || { show_output; fail "$recorded trials recorded before the stop"; }
expect_grep out.txt "trials: $recorded ($recorded ok)" "every recorded trial is ok: none was blamed on the kernel"
rm mid/5
hpo_run resume mid.h5 --no-progress
expect_rc 0 "the resume once the file is gone"
expect_grep out.txt "trials: 8 (8 ok)" "the resume completes the budget"
[[ $(statuses mid.h5) == " 8 ok" ]] || fail "statuses after the resume: $(statuses mid.h5)"
echo "run directory failures: ok ($recorded trials kept before the stop)"
