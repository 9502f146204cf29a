#!/usr/bin/env bash
# --checkpoint-root and --keep-checkpoints (issue 15) from every entry point: `hpo run` flags and
# --config keys reach the checkpoint's stored configuration (as `hpo show` prints it), the default
# root when the command names @checkpoint, bad values exit 2, --help lists them, a resume may change
# --keep-checkpoints but not --checkpoint-root.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"
here=$(pwd -P)

cat > kernel.sh << 'KERNEL'
#!/bin/sh
echo "FoM: 1"
KERNEL
chmod +x kernel.sh
param=(--param '--x 0.5 [0.0,1.0]' --strategy random --no-progress)

# shown FILE: the configuration's line about checkpoint directories, or nothing.
shown() {
    "$HPO_BIN" show "$1" > show.txt || fail "hpo show $1"
    sed -n 's/^  checkpoint directories: //p' show.txt
}

hpo_run run --help
expect_rc 0 "hpo run --help"
expect_grep out.txt "Checkpoint directories (@checkpoint, pbt):" "the group in --help"
expect_grep out.txt "--checkpoint-root DIR" "--checkpoint-root in --help"
expect_grep out.txt "--keep-checkpoints live|all (=live)" "--keep-checkpoints in --help"

hpo_run run "${param[@]}" --evals 2 --checkpoint-root roots --keep-checkpoints all --checkpoint flags.h5 -- ./kernel.sh
expect_rc 0 "a run with --checkpoint-root and --keep-checkpoints"
[[ $(shown flags.h5) == "$here/roots/<trial id> (keep all)" ]] || fail "stored flags: '$(shown flags.h5)'"

# The default root when the command names @checkpoint; none otherwise.
hpo_run run "${param[@]}" --evals 1 --run-dir runs --checkpoint token.h5 -- ./kernel.sh --ckpt=@checkpoint
expect_rc 0 "a run naming @checkpoint"
[[ $(shown token.h5) == "$here/runs/checkpoints/<trial id> (keep live)" ]] || fail "default root: '$(shown token.h5)'"
hpo_run run "${param[@]}" --evals 1 --checkpoint plain.h5 -- ./kernel.sh
expect_rc 0 "a run without checkpoint directories"
[[ -z $(shown plain.h5) ]] || fail "a run without @checkpoint shows '$(shown plain.h5)'"

# A config file, and the command line over it.
cat > run.ini << EOF_INI
param = --x 0.5 [0.0,1.0]
strategy = random
evals = 1
checkpoint-root = from-file
keep-checkpoints = all
command = $here/kernel.sh
EOF_INI
hpo_run run --config run.ini --no-progress --checkpoint file.h5
expect_rc 0 "the options from a config file"
[[ $(shown file.h5) == "$here/from-file/<trial id> (keep all)" ]] || fail "config file: '$(shown file.h5)'"
hpo_run run --config run.ini --no-progress --keep-checkpoints live --checkpoint-root cli --checkpoint over.h5
expect_rc 0 "the command line over the config file"
[[ $(shown over.h5) == "$here/cli/<trial id> (keep live)" ]] || fail "command line over file: '$(shown over.h5)'"

# A bad value: exit 2 naming the flag, nothing run.
hpo_run run "${param[@]}" --evals 1 --keep-checkpoints some --checkpoint bad.h5 -- ./kernel.sh
expect_rc 2 "--keep-checkpoints some"
expect_grep err.txt "--keep-checkpoints must be live or all, got 'some'" "the bad value's message"
[[ ! -e bad.h5 ]] || fail "a bad --keep-checkpoints wrote a checkpoint"

# A resume may change what is kept (disk, not the search), not where the directories are.
hpo_run resume --help
expect_grep out.txt "--keep-checkpoints live|all" "--keep-checkpoints in hpo resume --help"
hpo_run resume flags.h5 --checkpoint-root elsewhere
expect_rc 2 "a resume changing --checkpoint-root"
expect_grep err.txt "hpo resume cannot change --checkpoint-root" "the refusal"
[[ $(shown flags.h5) == "$here/roots/<trial id> (keep all)" ]] || fail "a refused resume changed the file"
hpo_run resume flags.h5 --keep-checkpoints live --evals 3
expect_rc 0 "a resume changing --keep-checkpoints"
[[ $(shown flags.h5) == "$here/roots/<trial id> (keep live)" ]] || fail "resumed: '$(shown flags.h5)'"
expect_grep show.txt "trials: 3" "the resumed run's trials"
# hpo run --resume with another root is refused too (the run's other options are those of flags.h5).
hpo_run run "${param[@]}" --evals 3 --checkpoint-root roots2 --checkpoint flags.h5 --resume -- ./kernel.sh
expect_rc 2 "hpo run --resume with another --checkpoint-root"
expect_grep err.txt "checkpoint directories' root (--checkpoint-root) is \`$here/roots\`" "the refusal of hpo run --resume"
echo "checkpoint directory options: ok"
