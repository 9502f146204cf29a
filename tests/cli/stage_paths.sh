#!/usr/bin/env bash
# --stage PATH (the seed's src_path, issue 13): each trial directory gets a symbolic link to each
# staged path under its name, before the kernel starts, so the kernel reads its data through it;
# nothing is copied. A path that does not exist, or two with one name, are refused up front (exit
# 2, naming them); a link that cannot be made is a setup error, and the trial stays pending.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

mkdir -p dataset other/dataset
echo "0.25" > dataset/value.txt
echo "weights" > model.bin
# The kernel is in its trial directory: it finds the staged files there, by their names.
cat > kernel.sh << 'KERNEL'
#!/usr/bin/env bash
value=$(cat dataset/value.txt) || exit 3
[[ $(cat model.bin) == weights ]] || exit 4
echo "FoM: $value"
KERNEL
chmod +x kernel.sh

hpo_run run --param '--x 0.5 [0.0,1.0]' --strategy random --evals 2 --parallel 2 --no-progress \
    --stage dataset/ --stage ./model.bin -- ./kernel.sh
expect_rc 0 "run with two staged paths"
[[ $(best_fom) == 0.25 ]] || { show_output; fail "the kernel did not read the staged file: best FoM '$(best_fom)'"; }
for id in 0 1; do
    [[ -L hpo-runs/$id/dataset && $(readlink hpo-runs/$id/dataset) == "$work/dataset" ]] ||
        fail "hpo-runs/$id/dataset is not a link to $work/dataset: $(ls -l hpo-runs/$id)"
    [[ $(readlink hpo-runs/$id/model.bin) == "$work/model.bin" ]] || fail "hpo-runs/$id/model.bin is no link to the file"
done

# Stored in the checkpoint (hpo show lists them): a resume links them into its trials' directories
# too, and `hpo resume --stage` replaces them (the same data elsewhere).
hpo_run show hpo.h5
expect_grep out.txt "staged: $work/dataset $work/model.bin" "hpo show lists the staged paths"
hpo_run resume hpo.h5 --evals 3 --no-progress
expect_rc 0 "resume of a run with staged paths"
[[ $(readlink hpo-runs/2/dataset) == "$work/dataset" ]] || fail "the resumed run's trial 2 has no staged link"
echo "0.125" > other/dataset/value.txt
hpo_run resume hpo.h5 --evals 4 --no-progress --stage other/dataset --stage model.bin --log run.log
expect_rc 0 "resume with other staged paths"
[[ $(readlink hpo-runs/3/dataset) == "$work/other/dataset" ]] || fail "the resume's --stage did not replace the stored path"
[[ $(best_fom) == 0.125 ]] || { show_output; fail "trial 3 did not read the newly staged data"; }
expect_grep run.log "staged: $work/other/dataset $work/model.bin" "the log lists the staged paths"

# Missing: exit 2, the path named, nothing run.
rm -rf hpo-runs
hpo_run run --param '--x 0.5 [0.0,1.0]' --strategy random --evals 1 --no-checkpoint --stage no/such/dir -- ./kernel.sh
expect_rc 2 "a staged path that does not exist"
expect_grep err.txt "'no/such/dir' does not exist" "the missing staged path named"
[[ ! -e hpo-runs ]] || fail "a trial ran with a missing staged path"

# Two paths with one name would be one link: refused, both named.
hpo_run run --param '--x 0.5 [0.0,1.0]' --strategy random --evals 1 --no-checkpoint \
    --stage dataset --stage other/dataset -- ./kernel.sh
expect_rc 2 "two staged paths with one name"
expect_grep err.txt "'dataset' and 'other/dataset' would both be linked as 'dataset'" "the clash named"

# A name hpo writes itself in each trial directory is refused too.
touch stdout
hpo_run run --param '--x 0.5 [0.0,1.0]' --strategy random --evals 1 --no-checkpoint --stage stdout -- ./kernel.sh
expect_rc 2 "a staged path named stdout"
expect_grep err.txt "a file hpo writes in each trial directory" "the reserved name refused"

# A file in the way of the link (left in a reused trial directory) is a setup error: the run
# stops, the trial stays pending (README: The training kernel).
rm -rf hpo-runs hpo.h5
mkdir -p hpo-runs/0 && echo "not a link" > hpo-runs/0/dataset
hpo_run run --param '--x 0.5 [0.0,1.0]' --strategy random --evals 1 --parallel 1 --no-progress --stage dataset --stage model.bin -- ./kernel.sh
expect_rc 1 "a run whose staged link cannot be made"
expect_grep err.txt "cannot link the staged path $work/dataset" "the setup error names the staged path"
[[ $(cat hpo-runs/0/dataset) == "not a link" ]] || fail "the file in the way was replaced"
rm hpo-runs/0/dataset
hpo_run resume hpo.h5 --no-progress
expect_rc 0 "the resume once the file in the way is gone"
[[ $(best_fom) == 0.25 ]] || { show_output; fail "the resumed trial did not read the staged file"; }
echo "stage paths: ok"
