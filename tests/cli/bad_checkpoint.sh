#!/usr/bin/env bash
# Files that are not sound checkpoints (not HDF5, empty, truncated, another program's HDF5 file,
# missing): `hpo show`, `hpo export`, `hpo resume` and `hpo run --resume` exit 2 with a message
# naming the file, and leave it as it was.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

write_quadratic_kernel ./kernel.sh
run_args=(--param '--x 0.9 [0.0,1.0]' --strategy random --evals 6 --no-progress --run-dir runs)
hpo_run run "${run_args[@]}" --checkpoint good.h5 -- ./kernel.sh
expect_rc 0 "the run that writes a good checkpoint"

printf 'x,fom\n0.5,1.0\n' > text.h5
: > empty.h5
size=$(stat -c %s good.h5)
head -c $((size / 2)) good.h5 > half.h5
head -c 600 good.h5 > head.h5
printf '1 2 3\n' > data.txt
printf 'PATH data\nINPUT-CLASS TEXTIN\nRANK 1\nDIMENSION-SIZES 3\n' > data.cfg
h5import data.txt -c data.cfg -o other.h5 || fail "h5import could not write another program's HDF5 file"

# bad FILE WHAT: every reader refuses it with exit 2, names it, and leaves it untouched.
bad() {
    local file=$1 what=$2 sum
    sum=$(sha256sum "$file")
    for command in "show $file" "export $file --format csv" "export $file --format json -o out.json" \
                   "resume $file"; do
        rm -f out.json
        # shellcheck disable=SC2086
        hpo_run $command
        expect_rc 2 "hpo $command ($what)"
        expect_grep err.txt "hpo: error: checkpoint '$file'" "hpo $command ($what) names the file"
        if grep -q "^usage:" err.txt; then show_output; fail "hpo $command ($what): a usage line for a bad file"; fi
        [[ ! -e out.json ]] || fail "hpo $command ($what) wrote an export"
        [[ ! -e runs/6 ]] || fail "hpo $command ($what) ran a trial"
    done
    hpo_run run "${run_args[@]}" --checkpoint "$file" --resume -- ./kernel.sh
    expect_rc 2 "hpo run --resume ($what)"
    expect_grep err.txt "$file" "hpo run --resume ($what) names the file"
    [[ $(sha256sum "$file") == "$sum" ]] || fail "$what: the file was modified"
}

bad text.h5 "a text file"
expect_grep err.txt "not an HDF5 file" "a text file is said to be no HDF5 file"
bad empty.h5 "an empty file"
expect_grep err.txt "empty" "an empty file is said to be empty"
bad half.h5 "a file cut in half"
bad head.h5 "the first 600 bytes"
bad other.h5 "another program's HDF5 file"
for command in show "export --format csv" resume; do
    # shellcheck disable=SC2086
    hpo_run $command missing.h5
    expect_rc 2 "hpo $command of a missing file"
    expect_grep err.txt "missing.h5" "hpo $command of a missing file names it"
    [[ ! -e missing.h5 ]] || fail "hpo $command created the missing checkpoint"
done

# The good one is still fine after all that.
hpo_run show good.h5
expect_rc 0 "show of the good checkpoint"
expect_grep out.txt "trials: 6 (6 ok)" "the good checkpoint"

echo "bad checkpoints: ok"
