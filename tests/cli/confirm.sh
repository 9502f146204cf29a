#!/usr/bin/env bash
# Confirmation (--confirm-top K --confirm-repeats R, docs/confirm.md) with a noisy kernel whose one
# lucky run beats the configuration that is best on average: the summary, `hpo show` and `hpo
# export` all report the configuration with the best mean, with its spread; repeats are trials of
# their own (repeat_of, repeat), the kernel gets @repeat and HPO_REPEAT; a resume may raise K, not
# lower it; bad values exit 2.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"
kernel="$HPO_TEST_SCRIPT_DIR/noisy_kernel.py"
run=(--param '--x [0.0,1.0]' --strategy random --evals 12 --seed 3 --parallel 2 --no-progress --run-dir runs)

hpo_run run --help
expect_rc 0 "hpo run --help"
expect_grep out.txt "--confirm-top K (=0)" "--confirm-top in --help"
expect_grep out.txt "--confirm-repeats R (=2)" "--confirm-repeats in --help"

# Bad values: exit 2 naming the flag, nothing run.
for bad in "--confirm-top -1" "--confirm-top 2 --confirm-repeats 0" "--confirm-repeats -3" "--confirm-top x"; do
    # shellcheck disable=SC2086
    hpo_run run "${run[@]}" $bad --checkpoint bad.h5 -- "$kernel" --seed=@repeat
    expect_rc 2 "$bad"
    [[ ! -e bad.h5 ]] || fail "$bad wrote a checkpoint"
done
hpo_run run "${run[@]}" --confirm-top 2 --confirm-repeats 0 --checkpoint bad.h5 -- "$kernel" --seed=@repeat
expect_grep err.txt "--confirm-repeats must be >= 1 with --confirm-top 2" "R = 0's message"

hpo_run run "${run[@]}" --confirm-top 3 --confirm-repeats 2 --checkpoint c.h5 --log run.log -- "$kernel" --seed=@repeat
expect_rc 0 "a confirmed run"
expect_grep run.log "confirmation: confirm_top=3 confirm_repeats=2" "the log's settings"
best_id=$(sed -n 's/^best trial: \([0-9]*\) and its.*/\1/p' out.txt)
grep -qE "^best FoM \(mean of 3 runs\): .*; trial $best_id and 2 repeats\)$" run.log || fail "the log's best is not the summary's (trial $best_id)"
grep -F "$(grep '^best parameters: ' out.txt)" run.log > /dev/null || fail "the log's best parameters are not the summary's"
cp out.txt summary.txt
"$HPO_BIN" show c.h5 > show.txt || fail "hpo show"
"$HPO_BIN" export c.h5 --format csv -o trials.csv || fail "hpo export csv"
"$HPO_BIN" export c.h5 --format json -o trials.json || fail "hpo export json"

# check K R: the trials, the repeats and every report of the best, from the exports.
check() {
python3 - "$1" "$2" << 'PY' || fail "the confirmed best is not the one reported"
import csv, json, math, re, statistics, sys
K, R = int(sys.argv[1]), int(sys.argv[2])
rows = list(csv.DictReader(open("trials.csv")))
js = json.load(open("trials.json"))
def check(ok, what):
    if not ok: sys.exit("FAIL: " + what)
check([int(r["id"]) for r in rows] == list(range(12 + len([r for r in rows if r["repeat_of"]]))), "ids dense from 0")
check(all(r["status"] == "ok" for r in rows), "every trial ok (HPO_REPEAT is @repeat): %s" % [r["message"] for r in rows if r["status"] != "ok"])
originals = {int(r["id"]): r for r in rows if r["repeat_of"] == ""}
check(len(originals) == 12 and all(r["repeat"] == "0" for r in originals.values()), "12 originals, repeat 0")
runs = {i: [float(r["fom"])] for i, r in originals.items()}
for r in rows:
    if r["repeat_of"]:
        o = originals[int(r["repeat_of"])]
        check(r["--x"] == o["--x"], "a repeat has its original's values")
        runs[int(r["repeat_of"])].append(float(r["fom"]))
        with open("runs/%s/argv.bin" % r["id"], "rb") as f:
            check(f.read().split(b"\0")[0] == b"--seed=" + r["repeat"].encode(), "trial %s got @repeat" % r["id"])
top = sorted(originals, key=lambda i: (float(originals[i]["fom"]), i))[:K]
for i in top:
    check(len(runs[i]) == R + 1, "top original %d has %d repeats" % (i, len(runs[i]) - 1))
check(all(len(v) <= R + 1 for v in runs.values()), "no configuration has more than R repeats")
confirmed = {i: v for i, v in runs.items() if len(v) > 1}
# The best among the fully confirmed (a configuration pushed out of the top K while confirming has fewer runs).
full = {i: v for i, v in confirmed.items() if len(v) == R + 1}
best = min(full, key=lambda i: (statistics.mean(full[i]), i))
single = min(rows, key=lambda r: (float(r["fom"]), int(r["id"])))
single_config = int(single["repeat_of"] or single["id"])
check(single_config != best, "the lucky single run (trial %s) is the best configuration too: the data proves nothing" % single["id"])
mean, std = statistics.mean(confirmed[best]), statistics.stdev(confirmed[best])
# Export: rank 1 is the best, with its spread.
ranked = {int(r["id"]): r for r in rows if r["confirm_rank"]}
check(set(ranked) == set(confirmed), "confirm_* set on the repeated originals only")
check(ranked[best]["confirm_rank"] == "1", "export: rank 1 is trial %d" % best)
r = ranked[best]
check(math.isclose(float(r["confirm_mean"]), mean) and math.isclose(float(r["confirm_std"]), std), "export: mean/std")
check(float(r["confirm_min"]) == min(confirmed[best]) and float(r["confirm_max"]) == max(confirmed[best]), "export: min/max")
check(r["confirm_runs"] == str(R + 1) and r["confirm_failed"] == "0", "export: runs/failed")
jb = [j for j in js if j["confirm_rank"] == 1]
check(len(jb) == 1 and jb[0]["id"] == best and math.isclose(jb[0]["confirm_mean"], mean), "json: rank 1")
check(all(j["repeat_of"] is None for j in js if j["id"] in originals), "json: originals' repeat_of is null")
# The summary and hpo show.
for name in ["summary.txt", "show.txt"]:
    text = open(name).read()
    m = re.search(r"^best FoM \(mean of (\d+) runs\): (\S+) \(std (\S+), min (\S+), max (\S+), n (\d+)\)$", text, re.M)
    check(m is not None, name + ": no confirmed best line:\n" + text)
    check(int(m.group(1)) == R + 1 and math.isclose(float(m.group(2)), mean) and math.isclose(float(m.group(3)), std), name + ": mean/std")
    check(re.search(r"^best trial: %d and its %d repeats" % (best, R), text, re.M) is not None, name + ": best trial")
    x_word = open("runs/%d/argv.bin" % best, "rb").read().split(b"\0")[1].decode()
    check(re.search(r"^best parameters: %s$" % re.escape(x_word), text, re.M) is not None, name + ": parameters " + x_word)
    check("best single run: FoM" in text, name + ": the lucky run is named")
check(re.search(r"^  1\. trial %d: mean " % best, open("show.txt").read(), re.M) is not None, "show: the ranking")
# Per deme: the originals and the repeats apart; its best is the best original, never a repeat.
m = re.search(r"^  deme 0: (\d+) trials and (\d+) repeats, best FoM (\S+) \(trial (\d+)\)$", open("show.txt").read(), re.M)
check(m is not None, "show: the deme line counts repeats apart")
best_original = min(originals, key=lambda i: (float(originals[i]["fom"]), i))
check(int(m.group(1)) == 12 and int(m.group(2)) == len(rows) - 12, "show: 12 trials and the repeats")
check(int(m.group(4)) == best_original and math.isclose(float(m.group(3)), float(originals[best_original]["fom"])),
      "show: the deme's best is trial %d, the best original" % best_original)
PY
}
check 3 2
expect_grep show.txt "confirmation: --confirm-top 3 --confirm-repeats 2" "show: the configuration"

# A resume may raise K (the next configuration gets its repeats), not lower it.
hpo_run resume c.h5 --confirm-top 2
expect_rc 2 "a resume lowering --confirm-top"
expect_grep err.txt "may raise --confirm-top and --confirm-repeats, not lower them" "the lowering's message"
hpo_run resume c.h5 --confirm-top 4 --no-progress
expect_rc 0 "a resume raising --confirm-top"
cp out.txt summary.txt
"$HPO_BIN" show c.h5 > show.txt || fail "hpo show after the resume"
"$HPO_BIN" export c.h5 --format csv -o trials.csv || fail "hpo export csv"
"$HPO_BIN" export c.h5 --format json -o trials.json || fail "hpo export json"
check 4 2
# (More if a configuration was pushed out of the top K while it was being confirmed.)
(( $(grep -c . trials.csv) >= 1 + 12 + 4 * 2 )) || fail "after the resume: $(grep -c . trials.csv) lines"

# The config file's keys, stored and shown; the command line over them.
cat > run.ini << EOF_INI
param = --x [0.0,1.0]
strategy = random
evals = 3
confirm-top = 1
confirm-repeats = 1
command = $kernel --seed=@repeat
EOF_INI
hpo_run run --config run.ini --no-progress --run-dir file-runs --checkpoint file.h5 --confirm-repeats 3
expect_rc 0 "confirmation from a config file"
"$HPO_BIN" show file.h5 > show.txt || fail "hpo show file.h5"
expect_grep show.txt "confirmation: --confirm-top 1 --confirm-repeats 3" "the config file's keys under the command line's"
expect_grep show.txt "best FoM (mean of 4 runs)" "the best has its 3 repeats"
echo "PASS"
