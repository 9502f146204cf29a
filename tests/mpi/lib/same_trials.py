"""Whether two `hpo export --format json` tables hold the same trials, times, hosts, workers and
messages aside (a resumed run against an uninterrupted one). Usage:
  python3 same_trials.py REFERENCE.json OTHER.json [MIN_PRUNED]
prints `identical: N trials` or the first difference (exit status 1); with MIN_PRUNED, fewer
pruned trials than that in the reference is a failure too (the test would prove nothing)."""
import json
import sys


def table(path):
    drop = ("start_time", "end_time", "host", "worker", "message")
    return sorted(({k: v for k, v in r.items() if k not in drop} for r in json.load(open(path))), key=lambda r: r["id"])


def main():
    reference, other = table(sys.argv[1]), table(sys.argv[2])
    pruned = sum(r["status"] == "pruned" for r in reference)
    if len(sys.argv) > 3 and pruned < int(sys.argv[3]):
        print(f"only {pruned} pruned trials: the test proves nothing", file=sys.stderr)
        sys.exit(1)
    if reference != other:
        ids_r, ids_o = [r["id"] for r in reference], [r["id"] for r in other]
        print(f"reference {len(reference)} trials, other {len(other)}", file=sys.stderr)
        print("only in reference:", sorted(set(ids_r) - set(ids_o)), "only in other:", sorted(set(ids_o) - set(ids_r)),
              "duplicated in other:", sorted({i for i in ids_o if ids_o.count(i) > 1}), file=sys.stderr)
        for r, o in zip(reference, other):
            if r != o:
                print("first difference:", r, o, sep="\n  ", file=sys.stderr)
                break
        sys.exit(1)
    print(f"identical: {len(reference)} trials" + (f", {pruned} pruned" if pruned else ""))


if __name__ == "__main__":
    main()
