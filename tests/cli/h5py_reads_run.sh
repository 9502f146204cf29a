# The checkpoint of a finished run, read with h5py (Debian's python3-h5py), agrees with what the
# run printed: the number of trials, the best FoM and the best parameters, the status counts.
source "$(dirname "$0")/lib/common.bash"

python=${HPO_PYTHON:-}
for candidate in python3 /usr/bin/python3; do
    [[ -n $python ]] && break
    "$candidate" -c 'import h5py' 2> /dev/null && python=$candidate
done
[[ -n $python ]] || fail "no python3 with h5py (apt-get install python3-h5py)"

cat > kernel.sh <<'KERNEL'
x=0; opt=a
for arg in "$@"; do case "$arg" in --x=*) x=${arg#--x=} ;; --opt=*) opt=${arg#--opt=} ;; esac; done
[ "$opt" = bad ] && exit 4
awk -v x="$x" -v o="$opt" 'BEGIN { printf "FoM: %.17g\n", (x - 0.25) ^ 2 + (o == "b" ? 0.5 : 0) }'
KERNEL
hpo_run run --strategy random --evals 30 --seed 9 --parallel 2 --param '--x 0.8 [0.0,1.0]' \
    --param '--opt a {a,b,bad}' --checkpoint run.h5 --no-progress -- sh "$work/kernel.sh"
expect_rc 0 "the run"

best=$(sed -n 's/^best FoM: //p' out.txt)
params=$(sed -n 's/^best parameters: //p' out.txt)
[[ -n $best && -n $params ]] || { show_output; fail "no best in the summary"; }

"$python" - run.h5 "$best" "$params" <<'PY' || fail "h5py disagrees with the run's summary"
import sys, h5py, numpy as np
path, printed_best, printed_params = sys.argv[1], float(sys.argv[2]), sys.argv[3]
with h5py.File(path, "r") as f:
    assert f.attrs["hpo_format"] in ("hpo-checkpoint", b"hpo-checkpoint"), f.attrs["hpo_format"]
    trials = f["trials"]
    n = trials["id"].shape[0]
    assert n == 30, f"{n} trials in the file, 30 ran"
    assert sorted(trials["id"][:]) == list(range(30)), "ids are not 0..29"
    status_names = {v: k for k, v in h5py.check_enum_dtype(trials["status"].dtype).items()}
    status = [status_names[s] for s in trials["status"][:]]
    fom = trials["fom"][:]
    x = trials["values"]["--x"][:]
    opt_names = {v: k for k, v in h5py.check_enum_dtype(trials["choices"]["--opt"].dtype).items()}
    opt = [opt_names[v] for v in trials["choices"]["--opt"][:]]
    for i in range(n):
        expected_ok = opt[i] != "bad"
        assert (status[i] == "ok") == expected_ok, f"trial {i}: status {status[i]} with --opt={opt[i]}"
        if expected_ok:
            assert fom[i] == (x[i] - 0.25) ** 2 + (0.5 if opt[i] == "b" else 0), f"trial {i}: fom {fom[i]}"
    ok = [i for i in range(n) if status[i] == "ok"]
    best = min(ok, key=lambda i: (fom[i], trials["id"][i]))
    assert fom[best] == printed_best, f"best in file {fom[best]!r}, printed {printed_best!r}"
    assert f"--opt={opt[best]}" in printed_params, (opt[best], printed_params)
print(f"h5py: {n} trials, best {printed_best} agrees")
PY
echo "ok"
