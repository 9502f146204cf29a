#!/usr/bin/env bash
# Bad usage and configuration exit 2 with an `hpo: error:` message naming the culprit, and run nothing.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

write_quadratic_kernel ./kernel.sh
ok_param=(--param '--x 0.5 [0.0,1.0]')

# usage_error WHAT EXPECTED_TEXT ARGS...: exit 2, the text on stderr, no trial directory made.
cases=0
usage_error() {
    local what=$1 text=$2
    shift 2
    cases=$((cases + 1))
    rm -rf hpo-runs
    hpo_run "$@"
    expect_rc 2 "$what"
    expect_grep err.txt "hpo: error: " "$what"
    expect_grep err.txt "$text" "$what"
    [[ ! -e hpo-runs ]] || fail "$what: a trial ran although the configuration was rejected"
}

# Bad parameter specs: the message names the parameter.
usage_error "reversed range" "--lr" run --param '--lr 0.5 [1.0,0.1]' -- ./kernel.sh
usage_error "garbage spec" "--momentum" run "${ok_param[@]}" --param '--momentum zz' -- ./kernel.sh
usage_error "default outside" "--hidden" run --param '--hidden 20 [1,8]' -- ./kernel.sh
usage_error "log of zero" "--wd" run --param '--wd [0.0,1.0] log' -- ./kernel.sh
usage_error "duplicate flag" "--x" run "${ok_param[@]}" --param '--x [0.0,2.0]' -- ./kernel.sh
usage_error "empty choice" "--opt" run --param '--opt {}' -- ./kernel.sh
# Specs a strategy could not map (issue 12): the width overflows, integers beyond exact doubles.
usage_error "range too wide" "too wide" run --param '--x [-1e308,1e308]' -- ./kernel.sh
usage_error "log range too narrow" "too narrow" run --param '--x [1e300,1.0000000000000002e300] log' -- ./kernel.sh
usage_error "integer range too wide" "2^50" run --param '--n [0,9007199254740992]' -- ./kernel.sh
usage_error "integer log range too high" "2^40" run --param '--n [1,2199023255552] log' -- ./kernel.sh
usage_error "integer bound beyond 64 bits" "--n" run --param '--n [0,99999999999999999999]' -- ./kernel.sh
# A value where the flag should be: the kernel would receive `0.5=0.3`.
usage_error "spec without a flag" "'0.5'" run --param '0.5 [0,1]' -- ./kernel.sh
usage_error "numeric flag" "starts with a letter" run --param '-1 [0,1]' -- ./kernel.sh
usage_error "bare dashes for a flag" "'--'" run --param '-- [0,1]' -- ./kernel.sh

# Unknown options and malformed values.
usage_error "unknown option" "--bogus" run "${ok_param[@]}" --bogus -- ./kernel.sh
# A misspelt option followed by its value: the option is named, not the value, with the option
# it is close to; both forms say the same.
usage_error "misspelt option, value apart" "unknown option --generatoins (did you mean --generations?)" \
    run "${ok_param[@]}" --generatoins 5 -- ./kernel.sh
! grep -qF "unexpected argument" err.txt || fail "the misspelt option's value was blamed: $(cat err.txt)"
usage_error "misspelt option, value joined" "unknown option --generatoins (did you mean --generations?)" \
    run "${ok_param[@]}" --generatoins=5 -- ./kernel.sh
usage_error "unknown option, nothing close" "unknown option --zzzzzz" run "${ok_param[@]}" --zzzzzz 5 -- ./kernel.sh
! grep -qF "did you mean" err.txt || fail "a suggestion for an option close to none: $(cat err.txt)"
usage_error "resume with a misspelt option" "unknown option --evasl (did you mean --evals?)" resume a.h5 --evasl 5
usage_error "unknown option before the subcommand" "--param" --param x run
usage_error "non-numeric value" "generations" run "${ok_param[@]}" --generations abc -- ./kernel.sh
usage_error "negative seed" "--seed" run "${ok_param[@]}" --seed -1 -- ./kernel.sh
usage_error "negative evals" "--evals" run "${ok_param[@]}" --strategy random --evals -3 -- ./kernel.sh
usage_error "option without its value" "param" run --param -- ./kernel.sh
# Empty values get hpo's message, naming the option, in both forms; numbers no option can mean.
usage_error "empty --timeout" "--timeout needs a value" run "${ok_param[@]}" --timeout '' -- ./kernel.sh
usage_error "empty --timeout=" "--timeout needs a value" run "${ok_param[@]}" --timeout= -- ./kernel.sh
usage_error "empty --param" "--param needs a value" run --param '' -- ./kernel.sh
usage_error "empty --pop-size" "--pop-size needs a value" run "${ok_param[@]}" --pop-size '' -- ./kernel.sh
usage_error "empty --seed" "--seed needs a value" run "${ok_param[@]}" --seed '' -- ./kernel.sh
usage_error "empty --run-dir" "--run-dir needs a value" run "${ok_param[@]}" --run-dir '' -- ./kernel.sh
usage_error "empty -o" "--output needs a value" export a.h5 --format csv -o ''
usage_error "empty value in resume" "--timeout needs a value" resume a.h5 --timeout ''
for bad in nan inf -inf -1 1e999 abc; do
    usage_error "--timeout $bad" "timeout" run "${ok_param[@]}" --timeout "$bad" -- ./kernel.sh
    usage_error "--checkpoint-interval $bad" "checkpoint-interval" run "${ok_param[@]}" --checkpoint-interval "$bad" -- ./kernel.sh
    # Checked even where no checkpoint is written, and in a resume.
    usage_error "--checkpoint-interval $bad without a checkpoint" "checkpoint-interval" \
        run "${ok_param[@]}" --no-checkpoint --checkpoint-interval "$bad" -- ./kernel.sh
    usage_error "--mutation-rate $bad" "mutation" run "${ok_param[@]}" --mutation-rate "$bad" -- ./kernel.sh
done
# Every numeric option refuses what it cannot mean, naming itself by its flag.
for option in parallel nodes-per-eval seed generations pop-size demes mutation-rate crossover-rate \
    migration-interval elites evals grid-size initial; do
    case $option in
        evals) strategy=(--strategy random) ;;
        grid-size) strategy=(--strategy grid) ;;
        initial) strategy=(--strategy bayes) ;;
        *) strategy=() ;;
    esac
    negative=-1
    [[ $option == elites ]] && negative=-2  # -1: not given (elites from the budget)
    for bad in nan inf "$negative" 0.5x; do
        usage_error "--$option $bad" "--$option" run "${ok_param[@]}" "${strategy[@]}" "--$option" "$bad" -- ./kernel.sh
    done
done
usage_error "--parallel beyond the limit" "at most 4096" run "${ok_param[@]}" --parallel 4097 -- ./kernel.sh
usage_error "--parallel beyond 64 bits" "parallel" run "${ok_param[@]}" --parallel 99999999999999999999 -- ./kernel.sh
usage_error "huge population" "--pop-size * --demes" run "${ok_param[@]}" --pop-size 2000000000 -- ./kernel.sh
usage_error "huge population over demes" "--pop-size * --demes" \
    run "${ok_param[@]}" --pop-size 1001 --demes 1000 --generations 1 -- ./kernel.sh
usage_error "huge --demes" "--pop-size * --demes" run "${ok_param[@]}" --demes 2000000000 -- ./kernel.sh
usage_error "--nodes-per-eval 0" "nodes-per-eval" run "${ok_param[@]}" --nodes-per-eval 0 -- ./kernel.sh

# Strategy options the strategies reject (their constructors throw std::invalid_argument).
usage_error "unknown strategy" "bayes-ish" run "${ok_param[@]}" --strategy bayes-ish -- ./kernel.sh
usage_error "unknown mode" "sideways" run "${ok_param[@]}" --mode sideways -- ./kernel.sh
usage_error "unknown arg style" "colon" run "${ok_param[@]}" --arg-style colon -- ./kernel.sh
usage_error "negative population" "--pop-size must be >= 1, or 0" run "${ok_param[@]}" --pop-size -1 -- ./kernel.sh
usage_error "genetic budget given twice" "not both" run "${ok_param[@]}" --evals 20 --generations 3 -- ./kernel.sh
usage_error "mutation rate above 1" "mutation" run "${ok_param[@]}" --mutation-rate 1.5 -- ./kernel.sh
usage_error "negative timeout" "timeout" run "${ok_param[@]}" --timeout -1 -- ./kernel.sh

# The kernel command and the search space are required.
usage_error "missing command" "no kernel command" run "${ok_param[@]}"
usage_error "empty command after --" "empty" run "${ok_param[@]}" --
usage_error "command without --" "goes after \`--\`" run "${ok_param[@]}" ./kernel.sh
usage_error "no parameter" "--param" run -- ./kernel.sh

# Config files: unreadable, unknown key, bad spec inside.
usage_error "missing config file" "nowhere.ini" run --config nowhere.ini -- ./kernel.sh
printf 'param = --x [0.0,1.0]\nbogus-key = 1\n' > unknown.ini
usage_error "unknown config key" "bogus-key" run --config unknown.ini -- ./kernel.sh
printf 'param = --depth 9 [1,4]\n' > badspec.ini
usage_error "bad spec in the config file" "--depth" run --config badspec.ini -- ./kernel.sh

# Checkpoint options.
usage_error "--resume with --force" "exclude each other" run "${ok_param[@]}" --resume --force -- ./kernel.sh
usage_error "--no-checkpoint with --resume" "--no-checkpoint" run "${ok_param[@]}" --no-checkpoint --resume -- ./kernel.sh
usage_error "--no-checkpoint with --checkpoint" "--no-checkpoint" \
    run "${ok_param[@]}" --no-checkpoint --checkpoint a.h5 -- ./kernel.sh
usage_error "empty --checkpoint" "checkpoint" run "${ok_param[@]}" --checkpoint '' -- ./kernel.sh
usage_error "negative checkpoint interval" "checkpoint interval" \
    run "${ok_param[@]}" --checkpoint-interval -1 -- ./kernel.sh
usage_error "a worker timeout below a second" "--worker-timeout" \
    run "${ok_param[@]}" --worker-timeout 0.5 -- ./kernel.sh

# resume, show, export: their arguments (the checkpoint files are checked in bad_checkpoint.sh).
usage_error "resume without a file" "no checkpoint file" resume
usage_error "resume with two files" "one checkpoint file" resume a.h5 b.h5
usage_error "resume changing the search space" "--force" resume a.h5 --param '--x [0.0,2.0]'
usage_error "resume changing the strategy" "cannot change --pop-size" resume a.h5 --pop-size 3
usage_error "resume with a kernel command" "--force" resume a.h5 -- ./kernel.sh
usage_error "resume with an unknown option" "--bogus" resume a.h5 --bogus
usage_error "show without a file" "no checkpoint file" show
usage_error "show with an option it lacks" "--format" show a.h5 --format csv
usage_error "export without a format" "--format" export a.h5
usage_error "export with a bad format" "xml" export a.h5 --format xml
usage_error "export without a file" "no checkpoint file" export --format csv
usage_error "a missing checkpoint" "nowhere.h5" show nowhere.h5

# Subcommands: unknown ones list what exists.
usage_error "no subcommand" "" # (usage goes to stderr)
usage_error "unknown subcommand" "subcommands: run, resume, show, export" frobnicate

# Help and version succeed on stdout.
for help in "run --help" "run -h" "--help" "-h" "resume --help" "show --help" "export --help"; do
    # shellcheck disable=SC2086
    hpo_run $help
    expect_rc 0 "hpo $help"
    expect_grep out.txt "usage: hpo " "hpo $help"
done
hpo_run run --help
expect_grep out.txt "--pop-size" "run --help lists the genetic options"
expect_grep out.txt "--config" "run --help lists --config"
for option in --checkpoint --no-checkpoint --checkpoint-interval --resume --force; do
    expect_grep out.txt "$option " "run --help lists $option"
done
expect_grep out.txt "3  interrupted" "run --help lists the exit codes"
expect_grep out.txt "(genetic, random, bayes)" "run --help names the strategies sharing --evals"
hpo_run resume --help
expect_grep out.txt "--generations" "resume --help lists what a resume may change"
expect_grep out.txt "--evals N" "resume --help lists every strategy's budget option (from the option tables)"
if grep -qE -- "^ *--pop-size" out.txt; then fail "resume --help lists --pop-size, which a resume cannot change"; fi
hpo_run --version
expect_rc 0 "hpo --version"
expect_grep out.txt "hpo " "hpo --version"

echo "usage errors: ok ($cases malformed command lines refused)"
