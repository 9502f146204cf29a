#!/usr/bin/env bash
# `--config run.ini` works on its own, and the command line overrides it: options, parameters
# (per flag) and the command after `--`.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

write_argv_kernel ./file_kernel.sh
write_argv_kernel ./cli_kernel.sh
cat > run.ini << EOF_INI
# options as key = value, with the long option names
strategy = grid
grid-size = 2
param = --x 0.5 [0.0,1.0]
param = --opt adam {adam,sgd}
run-dir = file_runs
maximize = true
no-progress = true
checkpoint = file.h5
checkpoint-interval = 0.5
command = $work/file_kernel.sh --from-file "two words"
EOF_INI

# The file alone: grid of 2 x-values x 2 options, plus the default point.
hpo_run run --config run.ini
expect_rc 0 "run from the config file"
expect_grep out.txt "trials: 5 (5 ok)" "grid from the file: 4 points + the default"
expect_grep out.txt "best FoM: 1" "maximize = true in the file"
[[ -d file_runs ]] || fail "run-dir from the file not used"
[[ -s file.h5 && ! -e hpo.h5 ]] || fail "checkpoint = file.h5 in the file not used"
argv=file_runs/0/argv.txt
expect_grep "$argv" "--from-file" "command from the file"
expect_grep "$argv" "two words" "quoted word of the file's command"
expect_grep "$argv" "--opt=adam" "the file's second parameter"

# The command line overrides: run-dir, strategy + evals, the range of --x, and the command.
hpo_run run --config run.ini --run-dir cli_runs --strategy random --evals 3 --seed 5 --checkpoint cli.h5 \
    --param '--x 1.5 [1.0,2.0]' -- ./cli_kernel.sh --from-cli
expect_rc 0 "run with command-line overrides"
expect_grep out.txt "trials: 3 (3 ok)" "--strategy random --evals 3 overrides the file's grid"
[[ -d cli_runs ]] || fail "--run-dir on the command line did not override the file"
[[ -s cli.h5 ]] || fail "--checkpoint on the command line did not override the file"
(( $(find cli_runs -name argv.txt | wc -l) == 3 )) || fail "expected 3 trials in cli_runs/"
argv=cli_runs/0/argv.txt
expect_grep "$argv" "--from-cli" "the command after -- overrides the file's"
if grep -qF -- "--from-file" "$argv"; then fail "the file's command ran although -- gave one"; fi
expect_grep "$argv" "--x=1.5" "the command-line --param replaced the file's --x"
expect_grep "$argv" "--opt=adam" "the file's other parameter is kept"
for f in cli_runs/*/argv.txt; do
    x=$(sed -n 's/^--x=//p' "$f")
    awk -v x="$x" 'BEGIN { exit !(x >= 1.0 && x <= 2.0) }' || fail "$f: --x=$x outside the overriding range [1,2]"
done

# A boolean from the file, overridden: the file maximizes; there is no --no-maximize, but the
# command line's --quiet adds to the file's settings. --no-checkpoint overrides the file's
# checkpoint (file.h5 exists: writing it again would be refused).
sum=$(sha256sum file.h5)
hpo_run run --config run.ini --run-dir quiet_runs --quiet --no-checkpoint
expect_rc 0 "quiet run from the file, no checkpoint"
[[ ! -s out.txt ]] || fail "--quiet on the command line was not honoured"
[[ $(sha256sum file.h5) == "$sum" && ! -e hpo.h5 ]] || fail "--no-checkpoint wrote a checkpoint"

# The checkpoint switches as config-file keys: `resume = true` continues file.h5, and the
# command line's --force wins over the file's resume.
cp run.ini resume.ini
echo "resume = true" >> resume.ini
hpo_run run --config resume.ini
expect_rc 0 "resume = true in the config file"
expect_grep out.txt "trials: 5 (5 ok)" "the resumed grid has nothing left to do"
expect_grep out.txt "resumed with 5 trials" "the file's resume = true continued file.h5"
hpo_run run --config resume.ini --force --run-dir forced_runs
expect_rc 0 "--force on the command line over the file's resume = true"
[[ -d forced_runs ]] || fail "--force over resume = true did not start a new run"
printf 'param = --x [0.0,1.0]\ncommand = %s\nresume = true\nforce = true\n' "$work/file_kernel.sh" > both.ini
hpo_run run --config both.ini
expect_rc 2 "resume and force both in the config file"
expect_grep err.txt "exclude each other" "resume and force both in the config file"

# Hostile files (issue 12). A UTF-8 byte order mark (Windows editors write one) is not part of
# the first key; `#` inside quotes or {...}/[...] is part of the value, elsewhere a comment.
printf '\xef\xbb\xbfstrategy = grid   # a comment\n' > hostile.ini
cat >> hostile.ini << EOF_INI
grid-size = 2
param = --x 0.5 [0.0,1.0]   # a comment after a range
param = --key "#1" {"#1",'b#2',c#3}  # options holding '#'
run-dir = hostile_runs
no-checkpoint = true
command = $work/file_kernel.sh "#quoted" '#single' plain # a comment after the command
EOF_INI
hpo_run run --config hostile.ini
expect_rc 0 "a config file with a byte order mark and '#' in values"
expect_grep out.txt "trials: 7 (7 ok)" "grid of 2 x 3 options + the default: the BOM'd first key was read"
argv=hostile_runs/0/argv.txt
expect_grep "$argv" "#quoted" "a quoted '#' in the command"
expect_grep "$argv" "#single" "a single-quoted '#' in the command"
expect_grep "$argv" "--key=#1" "a quoted '#' in a choice default"
if grep -qF "comment" "$argv"; then fail "a comment reached the kernel: $(cat "$argv")"; fi
cat hostile_runs/*/argv.txt > all_argv.txt
expect_grep all_argv.txt "--key=b#2" "a '#' in a single-quoted option"
expect_grep all_argv.txt "--key=c#3" "a '#' in an unquoted option inside {...}"

# Lines hpo cannot read: named with the file and the line.
config_error() {
    local what=$1 text=$2
    hpo_run run --config bad.ini -- ./file_kernel.sh
    expect_rc 2 "$what"
    expect_grep err.txt "$text" "$what"
    if [[ $# -lt 3 ]]; then expect_grep err.txt "bad.ini" "$what: the file is named"; fi
}
printf 'param = --x [0.0,1.0]\ntimeout =\n' > bad.ini
config_error "an empty value" "line 2"
expect_grep err.txt "timeout =" "an empty value names its key"
printf 'param = --x [0.0,1.0]\njust words\n' > bad.ini
config_error "a line without =" "expected \`key = value\`"
printf '\xef\xbb\xbfbogus = 1\n' > bad.ini
config_error "an unknown key after a byte order mark" "unknown key 'bogus'"
printf 'param = 0.5 [0,1]\n' > bad.ini
config_error "a spec without a flag in the file" "'0.5'" -
printf 'param = --x [0.0,1.0]\nparallel = 100000\n' > bad.ini
config_error "--parallel beyond the limit in the file" "at most 4096" -

echo "config file: ok"
