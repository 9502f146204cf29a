#!/usr/bin/env bash
# `hpo show` prints what the run printed (best, status counts) plus each deme's best and the
# configuration; `hpo export` writes every trial as CSV and as JSON that parse back (python3's
# csv and json modules) with the values the kernel received: choices holding a comma, a quote
# and a newline, a FoM that is missing (nan/null), messages with quotes, backslashes, control
# characters and bytes that are not UTF-8.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

# Records its argv (NUL-separated) and scores x, plus 1 unless the choice is `c"d`; with x = 0 it
# fails without a FoM, after an awkward line on stderr.
cat > kernel.sh << 'KERNEL'
#!/usr/bin/env bash
printf '%s\0' "$@" > argv.bin
x= c=
for arg in "$@"; do
    case $arg in
        --x=*) x=${arg#--x=} ;;
        --c=*) c=${arg#--c=} ;;
    esac
done
if [[ $x == 0 ]]; then
    printf 'bad "input", back\\slash\ttab\001ctl \xff\n' >&2
    exit 0
fi
penalty=1
[[ $c == 'c"d' ]] && penalty=0
awk -v x="$x" -v p="$penalty" 'BEGIN { printf "FoM: %.17g\n", x + p }'
KERNEL
chmod +x kernel.sh

choice_spec=$'--c {"a,b","c\\"d","e\nf",plain}'
hpo_run run --param '--x 0.5 [0.0,1.0]' --param "$choice_spec" --strategy grid --grid-size 3 --seed 11 \
    --no-progress --run-dir runs -- ./kernel.sh
expect_rc 0 "the grid run"
cp out.txt run.txt
trials=$(sed -n 's/^trials: \([0-9]*\).*/\1/p' run.txt)
((trials == 12)) || { show_output; fail "expected 3 x 4 grid points (the default is one of them), got '$trials'"; }
expect_grep run.txt "no_fom" "the trials with x = 0 have no FoM"
expect_grep run.txt "best parameters: --x=0.5 '--c=c\"d'" "the best"

# show: the run's summary lines, identical; then demes, configuration, finished.
hpo_run show hpo.h5
expect_rc 0 "hpo show"
summary() { awk '/^trials: /,/^best trial: /' "$1"; }
[[ -n $(summary run.txt) && $(summary out.txt) == "$(summary run.txt)" ]] ||
    { show_output; fail "show's summary differs from the run's: $(summary run.txt)"; }
expect_grep out.txt "run: finished" "show says the run finished"
expect_grep out.txt "deme 0: 12 trials, best FoM 0.5" "show's per-deme best"
expect_grep out.txt "strategy: grid --grid-size 3" "show's strategy"
expect_grep out.txt "seed: 11" "show's seed"
expect_grep out.txt "direction: minimize" "show's direction"
expect_grep out.txt "--x 0.5 [0.0,1.0]" "show's parameters as specs"
expect_grep out.txt "kernel.sh" "show's kernel command"

# export: to stdout, to files, the format from the extension.
hpo_run export hpo.h5 --format csv
expect_rc 0 "export csv to stdout"
mv out.txt stdout.csv
hpo_run export hpo.h5 --format csv -o trials.csv
expect_rc 0 "export csv -o"
cmp -s stdout.csv trials.csv || fail "export to stdout and to -o differ"
hpo_run export hpo.h5 -o trials.json
expect_rc 0 "export -o trials.json (format from the extension)"
sum=$(sha256sum hpo.h5)
hpo_run export hpo.h5 --format csv -o ./hpo.h5
expect_rc 2 "export over the checkpoint itself"
[[ $(sha256sum hpo.h5) == "$sum" ]] || fail "export -o the checkpoint itself changed it"

python3 - "$trials" << 'PY' || fail "the exports do not match the trials"
import csv, json, math, os, sys

trials = int(sys.argv[1])
columns = ["id", "deme", "generation", "member", "parent", "repeat_of", "repeat", "--x", "--c", "fom", "steps", "status",
           "exit_code", "signal", "start_time", "end_time", "host", "worker", "message", "confirm_rank", "confirm_mean",
           "confirm_std", "confirm_min", "confirm_max", "confirm_runs", "confirm_failed"]
# The kernel's stderr holds a byte that is not UTF-8: CSV keeps bytes as they are.
with open("trials.csv", newline="", encoding="utf-8", errors="surrogateescape") as f:
    reader = csv.reader(f)
    header = next(reader)
    csv_rows = [dict(zip(header, row)) for row in reader]
with open("trials.json", encoding="utf-8") as f:
    json_rows = json.load(f)

def check(condition, what):
    if not condition:
        sys.exit("FAIL: " + what)

check(header == columns, f"CSV header {header}")
check(all(list(row) == columns for row in json_rows), "JSON keys")
check(len(csv_rows) == trials and len(json_rows) == trials, f"{len(csv_rows)} CSV, {len(json_rows)} JSON rows, {trials} trials")
check([int(r["id"]) for r in csv_rows] == sorted(int(r["id"]) for r in csv_rows), "rows in id order")
check({r["--c"] for r in json_rows} == {"a,b", 'c"d', "e\nf", "plain"}, f"choices {[r['--c'] for r in json_rows]}")

for c, j in zip(csv_rows, json_rows):
    tid = j["id"]
    # The values are the ones the kernel received.
    with open(os.path.join("runs", str(tid), "argv.bin"), "rb") as f:
        argv = f.read().decode("utf-8").split("\0")[:-1]
    check(argv == ["--x=" + c["--x"], "--c=" + c["--c"]], f"trial {tid}: argv {argv}, CSV {c['--x']!r} {c['--c']!r}")
    check(j["--c"] == c["--c"] and j["--x"] == float(c["--x"]), f"trial {tid}: JSON and CSV values differ")
    for key in ["id", "deme", "generation", "member", "repeat", "steps", "exit_code", "signal", "worker"]:
        check(isinstance(j[key], int) and str(j[key]) == c[key], f"trial {tid}: {key} {j[key]!r} vs {c[key]!r}")
    for key in ["start_time", "end_time"]:
        check(isinstance(j[key], float) and j[key] == float(c[key]) and j[key] > 1e9, f"trial {tid}: {key}")
    check(j["status"] == c["status"] and j["host"] == c["host"] != "", f"trial {tid}: status/host")
    check(j["message"] == c["message"].replace("\udcff", "\ufffd"), f"trial {tid}: messages {j['message']!r} {c['message']!r}")
    if float(c["--x"]) == 0:
        check(j["status"] == "no_fom" and j["fom"] is None and c["fom"] == "nan", f"trial {tid}: missing FoM as {j['fom']!r}, {c['fom']!r}")
        check('bad "input", back\\slash\ttab\x01ctl \ufffd' in j["message"], f"trial {tid}: message {j['message']!r}")
    else:
        check(j["status"] == "ok" and j["fom"] == float(c["fom"]), f"trial {tid}: FoM")
        check(math.isclose(j["fom"], j["--x"] + (0 if j["--c"] == 'c"d' else 1)), f"trial {tid}: FoM {j['fom']}")
PY

# Several demes: show's per-deme lines against the exported trials.
write_quadratic_kernel ./quadratic.sh
hpo_run run --param '--x 0.9 [0.0,1.0]' --param '--y 4 [0,5]' --generations 3 --pop-size 4 --demes 3 --seed 2 \
    --maximize --no-progress --run-dir demes --checkpoint demes.h5 -- ./quadratic.sh
expect_rc 0 "a run with 3 demes"
cp out.txt run.txt
hpo_run show demes.h5
expect_rc 0 "show of a run with 3 demes"
[[ $(summary out.txt) == "$(summary run.txt)" ]] || { show_output; fail "show's summary differs from the run's"; }
expect_grep out.txt "direction: maximize" "show's direction"
expect_grep out.txt "strategy: genetic --generations 3 --pop-size 4 --demes 3" "show's strategy"
"$HPO_BIN" export demes.h5 --format json > demes.json
python3 - << 'PY' || { show_output; fail "show's per-deme lines do not match the trials"; }
import json, re, sys
trials = json.load(open("demes.json"))
shown = {int(m[1]): (int(m[2]), float(m[3]), int(m[4]))
         for m in re.finditer(r"^  deme (\d+): (\d+) trials?, best FoM (\S+) \(trial (\d+)\)$", open("out.txt").read(), re.M)}
expected = {}
for deme in sorted({t["deme"] for t in trials}):
    mine = [t for t in trials if t["deme"] == deme]
    best = max((t for t in mine if t["status"] == "ok"), key=lambda t: (t["fom"], -t["id"]))
    expected[deme] = (len(mine), best["fom"], best["id"])
if shown != expected or len(shown) != 3:
    sys.exit(f"shown {shown}, expected {expected}")
PY

echo "show and export: ok"
