"""Whether two `hpo export --format json` tables hold the same trials, times, hosts, workers and
messages aside (a resumed run against an uninterrupted one). Usage:
  python3 same_trials.py [--by-slot] REFERENCE.json OTHER.json [MIN_PRUNED]
prints `identical: N trials` or the first difference (exit status 1); with MIN_PRUNED, fewer
pruned trials than that in the reference is a failure too (the test would prove nothing).
--by-slot: trials are matched by deme, generation and place in that deme's generation (the
order of their ids there), not by id, and parents likewise: a generational genetic run with
several workers and demes gives each (deme, generation, slot) the same parameters whatever the
order of results, not the same id."""
import json
import sys


def table(path, by_slot):
    drop = ("start_time", "end_time", "host", "worker", "message")
    rows = sorted(({k: v for k, v in r.items() if k not in drop} for r in json.load(open(path))), key=lambda r: r["id"])
    if not by_slot:
        return rows
    slot, seen = {}, {}
    for r in rows:
        key = (r["deme"], r["generation"])
        slot[r["id"]] = [r["deme"], r["generation"], seen.get(key, 0)]
        seen[key] = seen.get(key, 0) + 1
    for r in rows:
        r["id"] = slot[r["id"]]
        if r.get("parent") is not None:
            r["parent"] = slot[r["parent"]]
    return sorted(rows, key=lambda r: r["id"])


def main():
    args = sys.argv[1:]
    by_slot = bool(args) and args[0] == "--by-slot"
    if by_slot:
        args = args[1:]
    reference, other = table(args[0], by_slot), table(args[1], by_slot)
    pruned = sum(r["status"] == "pruned" for r in reference)
    if len(args) > 2 and pruned < int(args[2]):
        print(f"only {pruned} pruned trials: the test proves nothing", file=sys.stderr)
        sys.exit(1)
    if reference != other:
        ids_r, ids_o = [str(r["id"]) for r in reference], [str(r["id"]) for r in other]
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
