#!/usr/bin/env bash
# The per-deme logs (the seed's `Deme1_<log_fn>`, issue 13): with more than one deme and a --log,
# each deme gets `Deme<N>_<log name>` beside the log (N from 1): its settings, each of its trials
# (id, FoM, status, parameters as flags), each generation's best, average and counts, and the
# migrations in and out. Appended on resume, like the log. One deme: no deme logs.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

write_quadratic_kernel ./kernel.sh
mkdir logs
genetic=(--param '--x 0.9 [0.0,1.0]' --param '--y 4 [0,5]' --strategy genetic --pop-size 4
         --migration-interval 1 --seed 7 --parallel 2 --no-progress --log logs/genetic.log)

hpo_run run "${genetic[@]}" --demes 2 --generations 3 -- ./kernel.sh
expect_rc 0 "genetic run with 2 demes"
for n in 1 2; do
    log=logs/Deme${n}_genetic.log
    [[ -f $log ]] || { ls logs >&2; fail "no $log"; }
    deme=$((n - 1))
    expect_grep "$log" "deme $deme of 2" "$log's settings line names its deme"
    expect_grep "$log" "pop_size=4" "$log's settings line has the strategy's options"
    for g in 0 1 2; do expect_grep "$log" "generation $g: best " "$log has generation $g"; done
    grep -qE '^trial [0-9]+ \(generation [0-2]\): FoM [-0-9.e+]+ ok --x=[0-9.e-]+ --y=[0-5]$' "$log" ||
        { cat "$log" >&2; fail "$log has no trial line with FoM, status and flags"; }
    # Each deme's trials are its own, as many as its generations evaluated, each before its
    # generation's summary.
    count=$(grep -c '^trial ' "$log")
    evaluated=$(sed -n 's/^generation [0-9]*: .*, \([0-9]*\) evaluated, .*/\1/p' "$log" | awk '{ n += $1 } END { print n }')
    ((count == evaluated && count >= 10)) || { cat "$log" >&2; fail "$log has $count trial lines, its generations evaluated $evaluated"; }
    awk '/^generation / { g = $2 + 0; done[g] = 1 } /^trial / { g = substr($4, 1, length($4) - 2) + 0; if (g in done) bad = 1 }
         END { exit bad }' "$log" || { cat "$log" >&2; fail "$log has a trial after its generation's summary"; }
done
# The trials of the two files are all the run's trials, each in one file.
sort -u <(sed -n 's/^trial \([0-9]*\) .*/\1/p' logs/Deme1_genetic.log logs/Deme2_genetic.log) > ids.txt
total=$(( $(grep -c '^trial ' logs/Deme1_genetic.log) + $(grep -c '^trial ' logs/Deme2_genetic.log) ))
(( $(wc -l < ids.txt) == total )) || fail "a trial in both deme logs"
hpo_run show hpo.h5
expect_grep out.txt "trials: $total " "the deme logs hold every trial of the run"
# A trial's line holds the parameters the kernel was given in its trial directory.
id=$(head -1 ids.txt)
line=$(grep -h "^trial $id " logs/Deme*_genetic.log)
fom=$(sed -n 's/^FoM: //p' hpo-runs/$id/stdout)
[[ $line == *"FoM $(awk -v f="$fom" 'BEGIN { printf "%.6g", f }') ok"* ]] || fail "trial $id's line '$line', its FoM is $fom"
# Migrations: every generation after the first, each deme sends and receives.
expect_grep logs/Deme1_genetic.log ": out to deme 1, trial " "deme 0 sends migrants"
expect_grep logs/Deme1_genetic.log ": in from deme 1, trial " "deme 0 receives migrants"
expect_grep logs/Deme2_genetic.log ": in from deme 0, trial " "deme 1 receives migrants"

# A resume with a larger budget appends to both.
before=$(wc -l < logs/Deme1_genetic.log)
hpo_run resume hpo.h5 --generations 4 --no-progress
expect_rc 0 "resume with one more generation"
(( $(wc -l < logs/Deme1_genetic.log) > before )) || fail "the resume wrote nothing to Deme1_genetic.log"
head -1 logs/Deme1_genetic.log | grep -qF "# hpo deme log" || fail "the resume replaced Deme1_genetic.log"
expect_grep logs/Deme1_genetic.log "resumed from the checkpoint" "the resume's header appended"
expect_grep logs/Deme2_genetic.log "generation 3: best " "the resumed generation in Deme2_genetic.log"

# One deme: the log alone.
rm -rf logs hpo-runs hpo.h5 && mkdir logs
hpo_run run "${genetic[@]}" --demes 1 --generations 2 -- ./kernel.sh
expect_rc 0 "genetic run with 1 deme"
[[ -f logs/genetic.log ]] || fail "no log with one deme"
[[ -z $(ls logs | grep -v '^genetic.log$') ]] || fail "files beside the log with one deme: $(ls logs)"
echo "deme logs: ok"
