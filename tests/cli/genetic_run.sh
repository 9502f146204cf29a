#!/usr/bin/env bash
# A small genetic run on a shell kernel: succeeds, beats (or equals) the default point, prints
# the best FoM and parameters, keeps every trial's output, writes the log.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

write_quadratic_kernel ./kernel.sh
default_fom=$(./kernel.sh --x=0.9 --y=4 | sed -n 's/^FoM: //p')

hpo_run run --param '--x 0.9 [0.0,1.0]' --param '--y 4 [0,5]' \
    --strategy genetic --generations 4 --pop-size 6 --demes 2 --migration-interval 2 --seed 7 \
    --parallel 2 --no-progress --log genetic.log --run-dir runs -- ./kernel.sh
expect_rc 0 "genetic run"

fom=$(best_fom)
[[ -n $fom ]] || { show_output; fail "no 'best FoM:' line"; }
le "$fom" "$default_fom" || { show_output; fail "best FoM $fom is worse than the default point's $default_fom"; }

expect_grep out.txt "best parameters: --x=" "best parameters in the kernel's flag syntax"
# Two demes and four generations: the best trial says where it was found.
grep -qE '^best trial: [0-9]+ \(deme [01], generation [0-3]\)$' out.txt ||
    { show_output; fail "the genetic best trial line lacks its deme and generation"; }
# An integer parameter stays an integer on the kernel's command line and in the summary.
params=$(sed -n 's/^best parameters: //p' out.txt)
[[ $params =~ --y=[0-5]( |$) ]] || { show_output; fail "integer --y printed as '$params'"; }
# The printed parameters reproduce the printed FoM.
# shellcheck disable=SC2086
replay=$(./kernel.sh $params | sed -n 's/^FoM: //p')
awk -v a="$replay" -v b="$fom" 'BEGIN { d = a - b; exit !(d < 1e-9 && d > -1e-9) }' ||
    fail "the best parameters '$params' give FoM $replay, not the reported $fom"

# Every trial ran in its own directory with its output saved, and the counts add up.
trials=$(sed -n 's/^trials: \([0-9]*\).*/\1/p' out.txt)
[[ -n $trials && $trials -gt 0 ]] || { show_output; fail "no 'trials:' count"; }
dirs=$(find runs -mindepth 1 -maxdepth 1 -type d | wc -l)
((dirs == trials)) || fail "$trials trials reported, $dirs trial directories in runs/"
for dir in runs/*/; do
    [[ -f $dir/stdout && -f $dir/stderr ]] || fail "$dir lacks its stdout/stderr files"
done
expect_grep out.txt "($trials ok)" "every trial ok"
expect_grep genetic.log "generation" "the log has a line per generation"
expect_grep out.txt "checkpoint: hpo.h5" "the default checkpoint is named in the summary"
[[ -s hpo.h5 ]] || fail "no default checkpoint hpo.h5"

# With the same seed, the same run finds the same best.
hpo_run run --param '--x 0.9 [0.0,1.0]' --param '--y 4 [0,5]' \
    --strategy genetic --generations 4 --pop-size 6 --demes 2 --migration-interval 2 --seed 7 \
    --parallel 1 --quiet --run-dir runs2 --checkpoint runs2.h5 -- ./kernel.sh
expect_rc 0 "the quiet rerun"
[[ ! -s out.txt ]] || { show_output; fail "--quiet printed a summary"; }

echo "genetic run: ok (best $fom, default $default_fom)"
# The log says how the budget is spent: demes, population, generations, proposals per deme.
expect_grep genetic.log "planned evaluations: 42 (2 demes of 6 individuals (1 elite), up to 4 generations each, 21 proposals per deme, meeting every 2 generations)" \
    "the plan in the log"
