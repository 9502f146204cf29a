#!/usr/bin/env bash
# `--strategy bayes` from the command line and a config file: finds the quadratic's optimum,
# `hpo show` names its options, and a resumed run makes the proposals the uninterrupted run made
# (one worker, so that the order of results is fixed).
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

write_quadratic_kernel ./kernel.sh
space=(--param '--x 0.9 [0.0,1.0]' --param '--y 4 [0,5]')
bayes=(--strategy bayes --initial 5 --acquisition ei --seed 3 --parallel 1 --no-progress)
# The trials of a checkpoint as `id,x,y,fom` lines, in id order.
trial_rows() { "$HPO_BIN" export "$1" --format csv | cut -d, -f1,4,5,6; }

hpo_run run "${space[@]}" "${bayes[@]}" --evals 20 --run-dir runs --checkpoint full.h5 -- ./kernel.sh
expect_rc 0 "bayes run"
expect_grep out.txt "trials: 20 (20 ok)" "the budget"
fom=$(best_fom)
le "$fom" 0.01 || { show_output; fail "best FoM $fom: the optimum 0 is at x = 0.3, y = 2"; }
[[ ! -s err.txt ]] || { show_output; fail "--evals, --initial, --acquisition warned about with bayes"; }
# Bayes has no demes or generations: the best trial is named by its id alone, here and in show.
grep -qE '^best trial: [0-9]+$' out.txt || { show_output; fail "bayes's best trial line is not 'best trial: ID'"; }
hpo_run show full.h5
grep -qE '^best trial: [0-9]+$' out.txt || { show_output; fail "show of a bayes run: best trial line is not 'best trial: ID'"; }

# Half the budget, then `hpo resume` to the full budget: the same 20 trials, bit for bit.
hpo_run run "${space[@]}" "${bayes[@]}" --evals 12 --run-dir runs_a --checkpoint split.h5 -- ./kernel.sh
expect_rc 0 "the first half"
hpo_run resume split.h5 --evals 20 --run-dir runs_b --no-progress
expect_rc 0 "hpo resume --evals 20"
expect_grep out.txt "trials: 20 (20 ok)" "the resumed run's budget"
[[ $(trial_rows split.h5) == "$(trial_rows full.h5)" ]] ||
    { diff <(trial_rows split.h5) <(trial_rows full.h5) >&2 || true; fail "the resumed run's trials differ from the uninterrupted run's"; }

# From a config file, the confidence bound; `hpo show` prints the options.
cat > run.ini << EOF_INI
strategy = bayes
evals = 10
initial = 4
acquisition = ucb
param = --x 0.9 [0.0,1.0]
param = --y 4 [0,5]
no-progress = true
checkpoint = file.h5
command = $work/kernel.sh
EOF_INI
hpo_run run --config run.ini
expect_rc 0 "bayes from a config file"
expect_grep out.txt "trials: 10 (10 ok)" "the file's budget"
hpo_run show file.h5
expect_rc 0 "hpo show"
expect_grep out.txt "bayes --evals 10 --initial 4 --acquisition ucb" "the strategy's options"

# Bad values are usage errors; bayes-only options are ignored, with a warning, by other strategies.
hpo_run run "${space[@]}" --strategy bayes --acquisition pi --checkpoint bad.h5 -- ./kernel.sh
expect_rc 2 "--acquisition pi"
expect_grep err.txt "--acquisition" "the error names the option"
hpo_run run "${space[@]}" --strategy random --evals 2 --initial 5 --no-progress --checkpoint r.h5 -- ./kernel.sh
expect_rc 0 "--initial with random"
expect_grep err.txt "--initial is ignored by the random strategy" "the warning"

echo "bayes run: ok (best $fom)"
