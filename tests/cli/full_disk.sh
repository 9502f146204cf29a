#!/usr/bin/env bash
# A full disk while checkpointing (simulated without mounts: a file size limit, with SIGXFSZ
# ignored so that write() fails with EFBIG as on a full disk): hpo exits 1 with one clean message
# (no HDF5 dump, no crash at exit), the file keeps every commit made before the failure (show and
# export read them), and a resume without the limit continues it.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

# Half the trials fail with a long stderr tail, so that the file grows chunk after chunk.
cat > kernel.sh << 'KERNEL'
#!/usr/bin/env bash
x=0
for a; do case $a in --x=*) x=${a#--x=} ;; esac; done
if awk -v x="$x" 'BEGIN { exit !(x > 0.5) }'; then
    for i in $(seq 40); do echo "line $i of a long complaint about x=$x" >&2; done
    exit 3
fi
echo "FoM: $x"
KERNEL
chmod +x kernel.sh
run_args=(--param '--x 0.5 [0.0,1.0]' --strategy random --seed 3 --parallel 2 --no-progress --run-dir runs
          --checkpoint-interval 0)

# The size of this run's checkpoint with its first trials: the limit leaves room for some more.
hpo_run run "${run_args[@]}" --evals 4 --checkpoint probe.h5 -- ./kernel.sh
expect_rc 0 "the probe run"
limit_kib=$(( $(stat -c %s probe.h5) / 1024 + 160 ))
rm -rf runs

set +e
(
    trap '' XFSZ
    ulimit -f "$limit_kib"
    exec "$HPO_BIN" run "${run_args[@]}" --evals 3000 --checkpoint full.h5 -- ./kernel.sh
) > out.txt 2> err.txt
rc=$?
set -e
expect_rc 1 "a run whose checkpoint outgrows the disk"
expect_grep err.txt "hpo: error: checkpoint 'full.h5': writing failed (the file keeps its previous commit)" \
    "the failure names the file"
expect_grep err.txt "File too large" "the failure gives the system's reason"
if grep -q "errno\|bytes actually written\|HDF5-DIAG\|infinite loop\|#00" err.txt; then
    show_output
    fail "raw HDF5 text on stderr"
fi
[[ $(grep -c "error" err.txt) == 1 ]] || { show_output; fail "more than one error message"; }
(( $(stat -c %s full.h5) <= limit_kib * 1024 )) || fail "the file is larger than the limit allowed"

# Every commit before the failure is readable.
hpo_run show full.h5
expect_rc 0 "show of the file the failure left"
kept=$(sed -n 's/^trials: \([0-9]*\).*/\1/p' out.txt)
(( kept > 4 )) || { show_output; fail "only $kept trials were kept: the limit left no room for commits"; }
(( kept < 3000 )) || fail "the limit did not stop the run"
hpo_run export full.h5 --format csv -o before.csv
expect_rc 0 "export of the file the failure left"
rows() { grep -c '^[0-9][0-9]*,' "$1"; }  # a message may span lines; a row starts with its id
[[ $(rows before.csv) == "$kept" ]] || fail "export and show disagree on the kept trials"

# Without the limit, a resume continues from the last commit.
hpo_run resume full.h5 --evals $((kept + 20))
expect_rc 0 "resume after the failure"
hpo_run export full.h5 --format csv -o after.csv
expect_rc 0 "export after the resume"
[[ $(rows after.csv) == $((kept + 20)) ]] || fail "the resume did not continue to its budget"
# The kept trials are still there, as they were. Not a prefix of the rows: they are in id order,
# and a trial that was in flight when the disk filled (not kept) gets its result on the resume
# under its own, lower id.
python3 - before.csv after.csv << 'PY' || fail "a kept trial changed or went"
import csv, sys
before, after = ({row[0]: row for row in csv.reader(open(name, newline=""))} for name in sys.argv[1:])
changed = [id for id, row in before.items() if after.get(id) != row]
sys.exit(f"kept trials changed or gone: {changed[:5]}" if changed else 0)
PY

echo "full disk: ok ($kept trials kept, then resumed)"
