#!/usr/bin/env bash
# A choice of 70,000 options (the format promises more than 65,536) goes through the checkpoint:
# a run, a resume that extends it, show and export, with the options' names intact. (Given in a
# config file: one argument of that size exceeds what exec() accepts.)
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

write_argv_kernel ./kernel.sh
{
    echo "param = --c {$(seq -s, -f 'option-%g' 0 69999)}"
    echo "command = ./kernel.sh"
} > run.ini

hpo_run run --config run.ini --strategy random --evals 3 --seed 5 --no-progress --run-dir runs --checkpoint big.h5
expect_rc 0 "a run with a 70,000-option choice"
hpo_run resume big.h5 --evals 6
expect_rc 0 "its resume"
hpo_run show big.h5
expect_rc 0 "show"
expect_grep out.txt "trials: 6 (6 ok)" "show counts the resumed run's trials"
hpo_run export big.h5 --format csv -o trials.csv
expect_rc 0 "export"
# Every trial's option, as exported, is the one its kernel was given.
for dir in runs/*/; do
    given=$(sed -n 's/^--c=//p' "$dir/argv.txt")
    [[ $given =~ ^option-[0-9]+$ ]] || fail "trial $dir got '$given'"
    grep -q ",$given," trials.csv || { cat trials.csv >&2; fail "the export lacks $given"; }
done
[[ $(ls -d runs/*/ | wc -l) == 6 ]] || fail "not 6 trial directories"
echo "big choices: ok"
