#!/usr/bin/env bash
# Bad usage and configuration exit 2 with an `hpo: error:` message naming the culprit, and run nothing.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

write_quadratic_kernel ./kernel.sh
ok_param=(--param '--x 0.5 [0.0,1.0]')

# usage_error WHAT EXPECTED_TEXT ARGS...: exit 2, the text on stderr, no trial directory made.
usage_error() {
    local what=$1 text=$2
    shift 2
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

# Unknown options and malformed values.
usage_error "unknown option" "--bogus" run "${ok_param[@]}" --bogus -- ./kernel.sh
usage_error "unknown option before the subcommand" "--param" --param x run
usage_error "non-numeric value" "generations" run "${ok_param[@]}" --generations abc -- ./kernel.sh
usage_error "negative seed" "--seed" run "${ok_param[@]}" --seed -1 -- ./kernel.sh
usage_error "negative evals" "--evals" run "${ok_param[@]}" --strategy random --evals -3 -- ./kernel.sh
usage_error "option without its value" "param" run --param -- ./kernel.sh

# Strategy options the strategies reject (their constructors throw std::invalid_argument).
usage_error "unknown strategy" "bayes-ish" run "${ok_param[@]}" --strategy bayes-ish -- ./kernel.sh
usage_error "unknown mode" "sideways" run "${ok_param[@]}" --mode sideways -- ./kernel.sh
usage_error "unknown arg style" "colon" run "${ok_param[@]}" --arg-style colon -- ./kernel.sh
usage_error "zero population" "pop_size" run "${ok_param[@]}" --pop-size 0 -- ./kernel.sh
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

# Subcommands: unknown and reserved ones list what exists.
usage_error "no subcommand" "" # (usage goes to stderr)
usage_error "unknown subcommand" "subcommands: run" frobnicate
usage_error "reserved subcommand" "subcommands: run" show hpo.h5

# Help and version succeed on stdout.
for help in "run --help" "run -h" "--help" "-h"; do
    # shellcheck disable=SC2086
    hpo_run $help
    expect_rc 0 "hpo $help"
    expect_grep out.txt "hpo run" "hpo $help"
done
hpo_run run --help
expect_grep out.txt "--pop-size" "run --help lists the genetic options"
expect_grep out.txt "--config" "run --help lists --config"
hpo_run --version
expect_rc 0 "hpo --version"
expect_grep out.txt "hpo " "hpo --version"

echo "usage errors: ok"
