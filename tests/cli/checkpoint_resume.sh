#!/usr/bin/env bash
# The checkpoint is never overwritten by accident: an existing one needs --resume or --force
# (exit 2 and the file untouched otherwise). --force starts a new run in its place; --resume and
# `hpo resume FILE` continue it, keeping every trial, and may extend the budget; a resume with
# another search space, kernel or strategy is refused (exit 2, file untouched).
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

write_quadratic_kernel ./kernel.sh
write_quadratic_kernel ./other_kernel.sh
space=(--param '--x 0.9 [0.0,1.0]' --param '--y 4 [0,5]')
random=(--strategy random --seed 3 --no-progress)

trial_count() { sed -n 's/^trials: \([0-9]*\).*/\1/p' out.txt; }
# The trials of a checkpoint as `id,x,y,fom` lines, in id order.
trial_rows() { "$HPO_BIN" export "$1" --format csv | cut -d, -f1,4,5,6; }

# A first run writes hpo.h5.
hpo_run run "${space[@]}" "${random[@]}" --evals 4 --run-dir runs -- ./kernel.sh
expect_rc 0 "the first run"
expect_grep out.txt "trials: 4 (4 ok)" "the first run"
[[ -s hpo.h5 ]] || fail "no checkpoint hpo.h5 after the first run"
sum=$(sha256sum hpo.h5)
first_rows=$(trial_rows hpo.h5)
(($(wc -l <<< "$first_rows") == 5)) || fail "export of the first run: expected a header and 4 rows, got: $first_rows"

# The same command again: refused, the checkpoint untouched, nothing run.
hpo_run run "${space[@]}" "${random[@]}" --evals 4 --run-dir runs_again -- ./kernel.sh
expect_rc 2 "a run over an existing checkpoint"
expect_grep err.txt "hpo.h5" "the refusal names the checkpoint"
expect_grep err.txt "--resume" "the refusal says what to do"
expect_grep err.txt "--force" "the refusal says what to do"
[[ $(sha256sum hpo.h5) == "$sum" ]] || fail "a refused run changed the checkpoint"
[[ ! -e runs_again ]] || fail "a refused run ran trials"

# A resume with another search space, kernel or strategy option: refused, file untouched.
hpo_run run --param '--x 0.9 [0.0,2.0]' --param '--y 4 [0,5]' "${random[@]}" --evals 4 --resume -- ./kernel.sh
expect_rc 2 "--resume with a different --param"
expect_grep err.txt "search space" "the refusal says what differs"
expect_grep err.txt "--force" "the refusal says how to start anew"
hpo_run run "${space[@]}" "${random[@]}" --evals 4 --resume -- ./other_kernel.sh
expect_rc 2 "--resume with a different kernel"
expect_grep err.txt "kernel command" "the refusal says what differs"
hpo_run run "${space[@]}" --strategy grid --no-progress --resume -- ./kernel.sh
expect_rc 2 "--resume with a different strategy"
expect_grep err.txt "strategy" "the refusal says what differs"
hpo_run run "${space[@]}" "${random[@]}" --seed 4 --evals 4 --resume -- ./kernel.sh
expect_rc 2 "--resume with a different seed"
[[ $(sha256sum hpo.h5) == "$sum" ]] || fail "a refused resume changed the checkpoint"

# `hpo resume` cannot change the search either: only budget, resources, output.
hpo_run resume hpo.h5 --param '--x 0.9 [0.0,2.0]'
expect_rc 2 "hpo resume with a --param"
expect_grep err.txt "hpo run" "the refusal points to a new run"
expect_grep err.txt "--force" "the refusal points to --force"
[[ $(sha256sum hpo.h5) == "$sum" ]] || fail "a refused hpo resume changed the checkpoint"

# --resume with a larger budget: the 4 trials are kept as they were, 3 more are added.
hpo_run run "${space[@]}" "${random[@]}" --evals 7 --run-dir runs --resume -- ./kernel.sh
expect_rc 0 "--resume with --evals 7"
expect_grep out.txt "trials: 7 (7 ok)" "the resumed run has the extended budget"
expect_grep out.txt "resumed with 4 trials" "the summary says what came from the checkpoint"
rows=$(trial_rows hpo.h5)
[[ $(head -n 5 <<< "$rows") == "$first_rows" ]] || fail "the resume changed the first 4 trials: $rows"
(($(wc -l <<< "$rows") == 8)) || fail "expected 7 trials in the checkpoint, got: $rows"

# The resumed table equals an uninterrupted run of 7 with the same seed.
hpo_run run "${space[@]}" "${random[@]}" --evals 7 --run-dir runs_7 --checkpoint straight.h5 -- ./kernel.sh
expect_rc 0 "an uninterrupted run of 7"
[[ $(trial_rows straight.h5) == "$rows" ]] || fail "the extended run differs from an uninterrupted one"

# `hpo resume FILE --evals 9`: the stored configuration, a larger budget.
hpo_run resume hpo.h5 --evals 9 --no-progress
expect_rc 0 "hpo resume --evals 9"
expect_grep out.txt "trials: 9 (9 ok)" "hpo resume extends the budget"
[[ $(trial_rows hpo.h5 | head -n 8) == "$rows" ]] || fail "hpo resume changed the earlier trials"
# Nothing left to do: a resume of a finished run changes nothing.
hpo_run resume hpo.h5 --no-progress
expect_rc 0 "hpo resume of a finished run"
expect_grep out.txt "trials: 9 (9 ok)" "a finished run stays as it is"

# --force replaces the checkpoint with a new run.
hpo_run run "${space[@]}" "${random[@]}" --evals 2 --run-dir forced --force -- ./kernel.sh
expect_rc 0 "--force"
expect_grep out.txt "trials: 2 (2 ok)" "--force starts anew"
if grep -qF "resumed" out.txt; then fail "--force resumed instead of starting anew"; fi
hpo_run show hpo.h5
expect_grep out.txt "trials: 2 (2 ok)" "the replaced checkpoint holds the new run only"

# --resume without a checkpoint starts a new run (a requeued batch job can always pass it).
hpo_run run "${space[@]}" "${random[@]}" --evals 3 --run-dir fresh --checkpoint fresh.h5 --resume -- ./kernel.sh
expect_rc 0 "--resume without a checkpoint"
expect_grep out.txt "trials: 3 (3 ok)" "--resume without a checkpoint runs the whole budget"
[[ -s fresh.h5 ]] || fail "--resume without a checkpoint wrote none"

# Genetic: `hpo resume FILE --generations N` adds generations.
genetic=(--strategy genetic --pop-size 4 --demes 2 --seed 5 --no-progress)
hpo_run run "${space[@]}" "${genetic[@]}" --generations 2 --run-dir gen --checkpoint gen.h5 -- ./kernel.sh
expect_rc 0 "a genetic run of 2 generations"
two=$(trial_count)
hpo_run resume gen.h5 --generations 4
expect_rc 0 "hpo resume --generations 4"
four=$(trial_count)
((four > two)) || { show_output; fail "--generations 4 did not add trials ($two, then $four)"; }
hpo_run run "${space[@]}" "${genetic[@]}" --generations 4 --run-dir gen4 --checkpoint gen4.h5 -- ./kernel.sh
expect_rc 0 "a genetic run of 4 generations"
((four == $(trial_count))) || fail "resumed to 4 generations: $four trials, uninterrupted: $(trial_count)"
# The same table: demes, generations, parameters, parents, FoMs, statuses. Trials are matched by
# deme, generation and place in that deme's generation: the demes evolve apart, so with several
# workers the ids follow the order in which demes finished their generations.
"$HPO_BIN" export gen.h5 --format json -o gen.json
"$HPO_BIN" export gen4.h5 --format json -o gen4.json
python3 "$HPO_SOURCE_DIR/tests/mpi/lib/same_trials.py" --by-slot gen.json gen4.json > same.txt 2>&1 ||
    { cat same.txt; fail "the extended genetic run differs from an uninterrupted one"; }

echo "checkpoint resume: ok"
