#!/usr/bin/env bash
# What --checkpoint may name: anything but a regular file (a directory, a FIFO, a device, a link to
# one) is refused with exit 2 and a message that says what it is, with or without --force, by
# run, --resume and resume alike, and left as it was; through a symbolic link, resume continues the
# linked file and the link stays a link.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

write_quadratic_kernel ./kernel.sh
run_args=(--param '--x 0.9 [0.0,1.0]' --strategy random --no-progress --run-dir runs)

mkdir directory.h5
mkfifo fifo.h5
specials=(directory.h5 fifo.h5)
kinds=("is a directory" "is a FIFO (named pipe)")
# The same device as /dev/null, made here (the real one is never touched); not everywhere permitted.
if mknod null.h5 c 1 3 2> /dev/null; then
    specials+=(null.h5)
    kinds+=("is a character device")
    ln -s null.h5 link-to-null.h5
    specials+=(link-to-null.h5)
    kinds+=("is a character device")
else
    echo "note: mknod is not permitted here; the character device case is skipped" >&2
fi

for i in "${!specials[@]}"; do
    file=${specials[$i]} kind=${kinds[$i]}
    before=$(stat -c '%F %i %t:%T' "$file")
    for mode in "" --force --resume; do
        # shellcheck disable=SC2086
        hpo_run run "${run_args[@]}" --evals 3 --checkpoint "$file" $mode -- ./kernel.sh
        expect_rc 2 "hpo run --checkpoint $file $mode"
        expect_grep err.txt "checkpoint '$file': $kind, not a regular file" "hpo run --checkpoint $file $mode says what it is"
        if grep -q -- "--force\|already exists\|^usage:" err.txt; then
            show_output
            fail "hpo run --checkpoint $file $mode: offers --force, says 'already exists' or prints a usage line"
        fi
        [[ ! -e runs ]] || fail "hpo run --checkpoint $file $mode ran a trial"
    done
    for command in "resume $file" "show $file"; do
        # shellcheck disable=SC2086
        hpo_run $command
        expect_rc 2 "hpo $command"
        expect_grep err.txt "checkpoint '$file': $kind" "hpo $command says what it is"
    done
    [[ $(stat -c '%F %i %t:%T' "$file") == "$before" ]] || fail "$file was changed"
done
[[ -z $(find . -name '*.lock' -o -name '.*.tmp-*') ]] || fail "a lock file or a temporary was left behind"

# Through a symbolic link: the run creates the linked file, resume continues it, the link stays.
mkdir data
ln -s data/real.h5 link.h5
hpo_run run "${run_args[@]}" --evals 4 --checkpoint link.h5 -- ./kernel.sh
expect_rc 0 "a run through a symbolic link"
[[ -L link.h5 && -f data/real.h5 ]] || fail "the run through the link replaced the link"
hpo_run resume link.h5 --evals 7
expect_rc 0 "a resume through a symbolic link with a larger budget (a rewrite)"
[[ -L link.h5 && $(readlink link.h5) == data/real.h5 ]] || fail "the resume replaced the link"
hpo_run show data/real.h5
expect_grep out.txt "trials: 7 (7 ok)" "the linked file holds the resumed trials"
[[ -z $(find . -name '*.lock' -o -name '.*.tmp-*') ]] || fail "a lock file or a temporary was left behind"

# --force through a link replaces the linked file, not the link.
hpo_run run "${run_args[@]}" --evals 2 --checkpoint link.h5 --force -- ./kernel.sh
expect_rc 0 "--force through a symbolic link"
[[ -L link.h5 ]] || fail "--force replaced the link"
hpo_run show data/real.h5
expect_grep out.txt "trials: 2 (2 ok)" "--force replaced the linked file"

echo "checkpoint paths: ok"
