#!/usr/bin/env bash
# --echo-output (the seed's Evaluator(verbose=True), issue 13): each line a kernel prints, on
# stdout or stderr, also reaches hpo's stderr whole, prefixed with its trial; the files in the
# trial directory and the FoM are the same as without it. A kernel printing one huge line without
# a newline does not make hpo hold it: the echoed line is cut.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

cat > kernel.sh << 'KERNEL'
#!/usr/bin/env bash
x=${1#--x=}
echo "stdout line of $HPO_TRIAL_ID"
echo "stderr line of $HPO_TRIAL_ID" >&2
echo "FoM: $x"
printf 'last words without a newline'
KERNEL
chmod +x kernel.sh

run() {
    rm -rf hpo-runs
    hpo_run run --param '--x 0.5 [0.0,1.0]' --strategy random --evals 3 --parallel 2 --no-checkpoint --no-progress "$@"
}

run --echo-output -- ./kernel.sh
expect_rc 0 "run with --echo-output"
for id in 0 1 2; do
    expect_grep err.txt "[trial $id] stdout line of $id" "trial $id's stdout line echoed"
    expect_grep err.txt "[trial $id] stderr line of $id" "trial $id's stderr line echoed"
    expect_grep err.txt "[trial $id] FoM: " "trial $id's FoM line echoed"
    expect_grep err.txt "[trial $id] last words without a newline" "trial $id's unterminated last line echoed"
    expect_grep hpo-runs/$id/stdout "stdout line of $id" "trial $id's stdout file"
    expect_grep hpo-runs/$id/stderr "stderr line of $id" "trial $id's stderr file"
    if grep -qF "[trial" hpo-runs/$id/stdout hpo-runs/$id/stderr; then fail "a prefix in trial $id's files"; fi
done
# Every echoed line is whole: the prefix starts it, and one line never holds two.
if grep -F "trial" err.txt | grep -v '^\[trial [0-9]*\] ' | grep -q .; then show_output; fail "an echoed line not at a line's start"; fi
if grep -E '\[trial [0-9]+\].*\[trial' err.txt | grep -q .; then show_output; fail "two echoed lines run together"; fi
# The FoM is still parsed: the best is one of the kernels' values.
best=$(best_fom)
[[ -n $best ]] || { show_output; fail "no best FoM with --echo-output"; }
sed -n 's/^FoM: //p' hpo-runs/*/stdout | awk -v b="$best" '{ if ($1 + 0 == b + 0) found = 1 } END { exit !found }' ||
    fail "best FoM $best is none of the kernels' FoMs"

# Without the option nothing of the kernels' output is on stderr.
run -- ./kernel.sh
expect_rc 0 "run without --echo-output"
if grep -qF "line of" err.txt; then show_output; fail "kernel output on stderr without --echo-output"; fi

# A resume echoes when it is asked to, whatever the stored run did.
rm -rf hpo-runs
hpo_run run --param '--x 0.5 [0.0,1.0]' --strategy random --evals 1 --no-progress --echo-output -- ./kernel.sh
expect_rc 0 "run with a checkpoint and --echo-output"
hpo_run resume hpo.h5 --evals 2 --no-progress
expect_rc 0 "resume without --echo-output"
if grep -qF "line of" err.txt; then show_output; fail "a resume without --echo-output echoed"; fi
hpo_run resume hpo.h5 --evals 3 --no-progress --echo-output
expect_rc 0 "resume with --echo-output"
expect_grep err.txt "[trial 2] stdout line of 2" "the resume's trial echoed"
rm hpo.h5

# The config file key is the option's name.
printf 'echo-output = true\ncommand = ./kernel.sh\n' > run.ini
run --config run.ini
expect_rc 0 "run with echo-output in a config file"
expect_grep err.txt "[trial 0] stdout line of 0" "echo from the config file"

# A flood: 64 MiB on one line without a newline, then the FoM. hpo finishes, the echoed line is
# cut to a few kilobytes with a note of what was left out, and the FoM is parsed.
cat > flood.sh << 'KERNEL'
#!/usr/bin/env bash
head -c $((64 << 20)) /dev/zero | tr '\0' 'a'
echo
echo "after the flood"
echo "FoM: 1.5"
KERNEL
chmod +x flood.sh
rm -rf hpo-runs
hpo_run run --param '--x 0.5 [0.0,1.0]' --strategy random --evals 1 --no-checkpoint --no-progress --echo-output -- ./flood.sh
expect_rc 0 "a kernel printing a 64 MiB line"
[[ $(best_fom) == 1.5 ]] || { show_output; fail "FoM after the flood: '$(best_fom)'"; }
expect_grep err.txt "[trial 0] after the flood" "the line after the flood echoed"
expect_grep err.txt "[hpo: line cut, " "the note on the cut line"
longest=$(awk '{ if (length($0) > n) n = length($0) } END { print n }' err.txt)
((longest < 4096)) || fail "an echoed line of $longest bytes: the flood was not cut"

# Under mpirun the worker ranks run the kernels: they echo (the setting reaches them with the
# kernel's configuration) and mpirun forwards their stderr.
mpiexec=${MPIEXEC:-$(command -v mpirun || true)}
[[ -n $mpiexec ]] || fail "no MPIEXEC and no mpirun on PATH"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
rm -rf hpo-runs
set +e
timeout 300 "$mpiexec" -n 3 "$HPO_BIN" run --param '--x 0.5 [0.0,1.0]' --strategy random --evals 4 --no-checkpoint \
    --no-progress --echo-output -- ./kernel.sh > out.txt 2> err.txt
rc=$?
set -e
expect_rc 0 "mpirun -n 3 hpo run --echo-output"
for id in 0 1 2 3; do
    expect_grep err.txt "[trial $id] stdout line of $id" "trial $id's line echoed by its worker rank"
done
echo "echo output: ok"
