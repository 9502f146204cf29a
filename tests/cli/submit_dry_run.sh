#!/usr/bin/env bash
# `hpo submit --dry-run` (no Slurm needed): the script it writes runs this hpo with the run's
# arguments exactly, the sbatch options reach sbatch, and a run that would fail is refused before
# anything is submitted; cluster options that cannot work are usage errors.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

write_quadratic_kernel kernel.sh
hpo_run submit -N 4 --time=10 --dry-run -- --launcher srun --nodes-per-eval 2 \
    --param "--x [0.0,1.0]" --param "--opt {a b,c}" --checkpoint opt.h5 -- ./kernel.sh "two words"
expect_rc 0 "hpo submit --dry-run"
expect_grep out.txt "sbatch --parsable -N 4 --time=10 opt.sbatch" "the sbatch command"
expect_grep opt.sbatch "#SBATCH --signal=B:USR1@" "the requeue template is the default"
expect_grep opt.sbatch "hpo=$HPO_BIN" "the script runs this hpo"
[[ -x opt.sbatch ]] || fail "the script is not executable"
# The script's argument array holds exactly the run's arguments.
run_args=$(bash -c 'source <(sed -n "/^run_args=/p" opt.sbatch); printf "[%s]" "${run_args[@]}"')
expected='[--launcher][srun][--nodes-per-eval][2][--param][--x [0.0,1.0]][--param][--opt {a b,c}][--checkpoint][opt.h5][--][./kernel.sh][two words]'
[[ $run_args == "$expected" ]] || fail "the script's run arguments are $run_args"
bash -n opt.sbatch || fail "the script is not valid bash"

hpo_run submit --template run --script plain.sbatch --dry-run -- --param "--x [0.0,1.0]" --no-checkpoint -- ./kernel.sh
expect_rc 0 "the plain template"
expect_grep plain.sbatch 'exec "$hpo" run' "the plain template runs hpo run"

touch exists.h5
hpo_run submit --dry-run -- --param "--x [0.0,1.0]" --checkpoint exists.h5 -- ./kernel.sh
expect_rc 2 "an existing checkpoint"
expect_grep err.txt "already exists" "why the checkpoint is refused"
hpo_run submit --dry-run -- --param "--x [0.0,1.0]" --no-checkpoint -- ./kernel.sh
expect_rc 2 "requeue without a checkpoint"
expect_grep err.txt "--template run" "what to use instead"
hpo_run submit -N 2 -- --param "--x [0.0,1.0]"
expect_rc 2 "no kernel command"
hpo_run submit -N 2 --param "--x [0.0,1.0]" -- ./kernel.sh
expect_rc 2 "the run's options before the first --"
hpo_run submit --template nope --dry-run -- --param "--x [0.0,1.0]" -- ./kernel.sh
expect_rc 2 "an unknown template"

hpo_run run --launcher local --nodes-per-eval 2 --param "--x [0.0,1.0]" --no-checkpoint -- ./kernel.sh
expect_rc 2 "--nodes-per-eval with the local launcher"
expect_grep err.txt "needs --launcher srun or mpirun" "why"
hpo_run run --launcher ssh --param "--x [0.0,1.0]" --no-checkpoint -- ./kernel.sh
expect_rc 2 "an unknown launcher"
hpo_run run --launch-args "-n 2" --param "--x [0.0,1.0]" --no-checkpoint -- ./kernel.sh
expect_rc 2 "--launch-args with the local launcher"
(unset SLURM_JOB_NODELIST; "$HPO_BIN" run --launcher srun --param "--x [0.0,1.0]" --checkpoint none.h5 -- ./kernel.sh \
    > out.txt 2> err.txt) && rc=0 || rc=$?
expect_rc 2 "the srun launcher outside an allocation"
expect_grep err.txt "needs a Slurm allocation" "why"
[[ ! -e none.h5 ]] || fail "a run refused for its launcher left a checkpoint"
echo "PASS"
