#!/usr/bin/env bash
# `hpo report` and `python3 -m hpo.report` refuse a file that is not a sound checkpoint (not HDF5,
# empty, truncated, another program's HDF5 file, missing) as `hpo show` does: exit 2 and the very
# same message on stderr, no usage line, no page written, the file left as it was (issue 17).
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"
source "$(dirname "${BASH_SOURCE[0]}")/lib/python.bash"

write_quadratic_kernel ./kernel.sh
hpo_run run --param '--x 0.9 [0.0,1.0]' --strategy random --evals 4 --no-progress --run-dir runs \
    --checkpoint good.h5 -- ./kernel.sh
expect_rc 0 "the run that writes a good checkpoint"

printf 'x,fom\n0.5,1.0\n' > text.h5
: > empty.h5
size=$(stat -c %s good.h5)
head -c $((size / 2)) good.h5 > half.h5
printf '1 2 3\n' > data.txt
printf 'PATH data\nINPUT-CLASS TEXTIN\nRANK 1\nDIMENSION-SIZES 3\n' > data.cfg
# (without the sanitizers' runtimes lib/python.bash preloads for the interpreter: h5import hangs under them)
env -u LD_PRELOAD h5import data.txt -c data.cfg -o other.h5 || fail "h5import could not write another program's HDF5 file"

# refused FILE WHAT: exit 2 and show's message, from both entry points; nothing written or changed.
refused() {
    local file=$1 what=$2 sum=""
    [[ -e $file ]] && sum=$(sha256sum "$file")
    hpo_run show "$file"
    expect_rc 2 "hpo show ($what)"
    mv err.txt show.err
    [[ -s show.err ]] || fail "hpo show ($what) said nothing"
    hpo_run report "$file" -o page.html --png figures
    expect_rc 2 "hpo report ($what)"
    cmp -s show.err err.txt || { show_output; echo "--- hpo show said:" >&2; cat show.err >&2; fail "hpo report ($what): not show's message"; }
    set +e
    "$python" -m hpo.report "$file" -o page.html --png figures > out.txt 2> err.txt
    rc=$?
    set -e
    expect_rc 2 "python3 -m hpo.report ($what)"
    cmp -s show.err err.txt || { show_output; echo "--- hpo show said:" >&2; cat show.err >&2; fail "python3 -m hpo.report ($what): not show's message"; }
    if grep -q "usage:" err.txt; then show_output; fail "a usage line for a bad file ($what)"; fi
    [[ ! -e page.html && ! -e figures ]] || fail "a report was written for $what"
    if [[ -n $sum ]]; then [[ $(sha256sum "$file") == "$sum" ]] || fail "$what: the file was modified"; fi
    [[ -e $file || -z $sum ]] || fail "$what was removed"
}

refused text.h5 "a text file"
expect_grep err.txt "hpo: error: checkpoint 'text.h5'" "the message names the file"
expect_grep err.txt "not an HDF5 file" "a text file is said to be no HDF5 file"
refused empty.h5 "an empty file"
refused half.h5 "a file cut in half"
refused other.h5 "another program's HDF5 file"
refused missing.h5 "a missing file"
expect_grep err.txt "missing.h5" "the message names the missing file"
[[ ! -e missing.h5 ]] || fail "the missing checkpoint was created"

# The good one gives a report.
hpo_run report good.h5 -o page.html
expect_rc 0 "hpo report of the good checkpoint"
[[ -s page.html ]] || fail "no page for the good checkpoint"
