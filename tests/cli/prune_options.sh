#!/usr/bin/env bash
# The pruning options (issue 14) from every entry point: `hpo run` flags and --config keys reach the
# checkpoint's stored configuration (read with h5py), bad values exit 2 naming the flag, --help
# lists them under their table's title, a resume cannot change them, `hpo submit` passes them on.
# (Whether trials are pruned is the run's business, tested with the rules.)
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

python=${HPO_PYTHON:-}
for candidate in python3 /usr/bin/python3; do
    [[ -n $python ]] && break
    "$candidate" -c 'import h5py' 2> /dev/null && python=$candidate
done
[[ -n $python ]] || fail "no python3 with h5py (apt-get install python3-h5py)"

write_quadratic_kernel ./kernel.sh
ok_param=(--param '--x 0.5 [0.0,1.0]')

# stored FILE: /config/prune's attributes as `name=value` words, sorted.
stored() {
    "$python" - "$1" << 'PY'
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    attrs = f["config/prune"].attrs
    words = []
    for name in sorted(attrs):
        value = attrs[name]
        words.append("%s=%s" % (name, value.decode() if isinstance(value, bytes) else value))
    print(" ".join(words))
PY
}

# expect_stored FILE EXPECTED WHAT
expect_stored() {
    local got
    got=$(stored "$1") || fail "$3: cannot read /config/prune of $1"
    [[ $got == "$2" ]] || fail "$3: /config/prune is '$got', expected '$2'"
}

# --help: the table's title and each of its flags, with its default.
hpo_run run --help
expect_rc 0 "hpo run --help"
expect_grep out.txt "Pruning (stopping hopeless trials early):" "the table's title in --help"
for flag in "--prune RULE (=none)" "--max-steps R (=0)" "--min-steps r (=1)" "--reduction-factor ETA (=3)" \
    "--median-warmup-steps N (=0)" "--median-min-trials N (=5)" "--median-interval N (=1)"; do
    expect_grep out.txt "$flag" "$flag in --help"
done

# The flags reach the stored configuration, with every strategy; the others keep their defaults.
hpo_run run "${ok_param[@]}" --strategy random --evals 2 --prune asha --max-steps 9 --min-steps 2 \
    --reduction-factor 2 --checkpoint flags.h5 -- ./kernel.sh
expect_rc 0 "a run with --prune asha"
expect_stored flags.h5 "max_steps=9 median_interval=1 median_min_trials=5 median_warmup_steps=0 min_steps=2 prune=asha reduction_factor=2" \
    "the command line's pruning options"
for strategy in genetic grid bayes; do
    hpo_run run "${ok_param[@]}" --strategy "$strategy" --grid-size 2 --evals 2 \
        --prune median --median-min-trials 1 --checkpoint "$strategy.h5" -- ./kernel.sh
    expect_rc 0 "--prune median with $strategy"
    expect_stored "$strategy.h5" "max_steps=0 median_interval=1 median_min_trials=1 median_warmup_steps=0 min_steps=1 prune=median reduction_factor=3" \
        "--prune median with $strategy"
done
# Without --prune: none is stored.
hpo_run run "${ok_param[@]}" --strategy random --evals 1 --checkpoint none.h5 -- ./kernel.sh
expect_rc 0 "a run without --prune"
expect_stored none.h5 "max_steps=0 median_interval=1 median_min_trials=5 median_warmup_steps=0 min_steps=1 prune=none reduction_factor=3" \
    "no pruning"

# And they reach the run: a kernel with known curves (x + 8/n at step n), one trial at a time;
# ASHA stops some (the default point, first at every rung, runs to its end).
: "${HPO_SOURCE_DIR:?HPO_SOURCE_DIR must name the source tree (ctest sets it)}"
hpo_run run --param '--x 0.5 [0.0,4.0]' --strategy random --evals 8 --seed 11 --parallel 1 --prune asha \
    --max-steps 27 --checkpoint curves.h5 -- "$HPO_SOURCE_DIR/tests/kernels/curve_kernel.sh"
expect_rc 0 "a run with --prune asha on learning curves"
expect_grep out.txt " pruned)" "the summary counts pruned trials"

# A config file, and the command line over it.
cat > run.ini << EOF_INI
strategy = random
evals = 2
param = --x 0.5 [0.0,1.0]
prune = median
median-warmup-steps = 2
median-min-trials = 3
median-interval = 4
command = $work/kernel.sh
EOF_INI
hpo_run run --config run.ini --checkpoint file.h5
expect_rc 0 "pruning options from a config file"
expect_stored file.h5 "max_steps=0 median_interval=4 median_min_trials=3 median_warmup_steps=2 min_steps=1 prune=median reduction_factor=3" \
    "the config file's pruning options"
hpo_run run --config run.ini --prune hyperband --max-steps 27 --median-interval 1 --checkpoint over.h5
expect_rc 0 "the command line over the config file"
expect_stored over.h5 "max_steps=27 median_interval=1 median_min_trials=3 median_warmup_steps=2 min_steps=1 prune=hyperband reduction_factor=3" \
    "the command line's pruning options over the file's"

# Bad values: exit 2, `hpo: error:` naming the flag, nothing run.
bad() {
    local what=$1 text=$2
    shift 2
    rm -rf hpo-runs
    hpo_run run "${ok_param[@]}" --strategy random --evals 2 --no-checkpoint "$@" -- ./kernel.sh
    expect_rc 2 "$what"
    expect_grep err.txt "hpo: error: " "$what"
    expect_grep err.txt "$text" "$what"
    [[ ! -e hpo-runs ]] || fail "$what: a trial ran although the options were refused"
}
bad "an unknown rule" "--prune: unknown pruning rule 'sometimes'" --prune sometimes
bad "a word for a number" "--max-steps: " --prune asha --max-steps many
bad "a fraction for a number" "--reduction-factor: " --prune asha --reduction-factor 2.5
bad "negative max steps" "--max-steps must be >= 0" --prune asha --max-steps -1
bad "zero min steps" "--min-steps must be >= 1" --prune asha --min-steps 0
bad "reduction factor 1" "--reduction-factor must be >= 2" --prune asha --reduction-factor 1
bad "min steps not below max steps" "--min-steps must be < --max-steps" --prune asha --max-steps 3 --min-steps 3
bad "negative warm-up" "--median-warmup-steps must be >= 0" --prune median --median-warmup-steps -1
bad "no trials before the median" "--median-min-trials must be >= 1" --prune median --median-min-trials 0
bad "a zero interval" "--median-interval must be >= 1" --prune median --median-interval 0
bad "hyperband without its length" "hyperband needs --max-steps" --prune hyperband
# Also from a config file.
printf 'min-steps = 0\nprune = asha\n' > bad.ini
rm -rf hpo-runs
hpo_run run --config bad.ini "${ok_param[@]}" --no-checkpoint -- ./kernel.sh
expect_rc 2 "a bad value in the config file"
expect_grep err.txt "--min-steps must be >= 1" "the config file's bad value, named by its flag"

# Options that do nothing without a rule are said so.
hpo_run run "${ok_param[@]}" --strategy random --evals 1 --no-checkpoint --max-steps 9 -- ./kernel.sh
expect_rc 0 "--max-steps without --prune"
expect_grep err.txt "--max-steps is ignored without a pruning rule" "the warning for an unused pruning option"

# They are part of the run: a resume cannot change them (a new run can, with --force).
hpo_run resume flags.h5 --prune none
expect_rc 2 "hpo resume --prune"
expect_grep err.txt "hpo resume cannot change --prune" "a resume refuses another pruning rule"
hpo_run resume flags.h5 --max-steps 27
expect_rc 2 "hpo resume --max-steps"
expect_grep err.txt "hpo resume cannot change --max-steps" "a resume refuses another max steps"
# `hpo run --resume` with other pruning options is refused too, naming both (the checkpoint's
# configuration is never overwritten by a resume).
hpo_run run --checkpoint flags.h5 --resume "${ok_param[@]}" --strategy random --evals 2 --prune median -- ./kernel.sh
expect_rc 2 "hpo run --resume with another pruning rule"
expect_grep err.txt "pruning" "the refusal of another pruning rule on resume"
expect_grep err.txt "prune=median" "the refusal names this run's rule"

# hpo submit checks them here and passes them on to the job's `hpo run`.
hpo_run submit --dry-run -- "${ok_param[@]}" --prune asha --max-steps 9 --checkpoint sub.h5 -- ./kernel.sh
expect_rc 0 "hpo submit with pruning options"
run_args=$(bash -c 'source <(sed -n "/^run_args=/p" sub.sbatch); printf "[%s]" "${run_args[@]}"')
[[ $run_args == *"[--prune][asha][--max-steps][9]"* ]] || fail "the job's run arguments are $run_args"
hpo_run submit --dry-run -- "${ok_param[@]}" --prune hyperband --checkpoint sub2.h5 -- ./kernel.sh
expect_rc 2 "hpo submit refuses hyperband without --max-steps"
expect_grep err.txt "hyperband needs --max-steps" "hpo submit's refusal names the flag"
[[ ! -e sub2.sbatch ]] || fail "hpo submit wrote a script for a run it refused"

echo "prune_options: ok"
