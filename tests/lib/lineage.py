"""Checks a run's checkpoint directories against its trial table (tests/kernels/pbt_kernel.py's
`history` and `model` files). Usage:
  python3 lineage.py EXPORT.json CHECKPOINT_ROOT all|live [POPULATION]
all:  every trial has its directory; its history is its lineage (the parent chain from the checkpoint
      table, oldest first, then itself), its model's round count is the lineage's length, and a
      crashed trial's ruin never reached its parent's directory.
live: the directories left are those of trials whose lineage checks as above, and they include the
      best trial's and each member's last ok trial's (pbt, with POPULATION members); at most
      POPULATION + 1 directories are left.
Prints a one-line summary, or the first problem (exit status 1)."""
import json
import os
import sys


def main():
    trials = {r["id"]: r for r in json.load(open(sys.argv[1]))}
    root, mode = sys.argv[2], sys.argv[3]
    population = int(sys.argv[4]) if len(sys.argv) > 4 else None

    def parent(t):
        p = t.get("parent")
        return None if p in (None, "", -1) else int(p)

    def lineage(tid):
        chain = []
        while tid is not None:
            chain.append(tid)
            tid = parent(trials[tid])
        return chain[::-1]

    def check_dir(tid):
        path = os.path.join(root, str(tid))
        history = open(os.path.join(path, "history")).read().split("\n")[:-1]
        want = [str(i) for i in lineage(tid)]
        t = trials[tid]
        if t["status"] == "ok":
            assert history == want, f"trial {tid}: history {history}, lineage {want}"
            position, rounds = open(os.path.join(path, "model")).read().split()
            assert int(rounds) == len(want), f"trial {tid}: model has {rounds} rounds, lineage {len(want)}"
        else:
            assert history == want[:-1] + [f"{tid} crashed"], f"failed trial {tid}: history {history}, lineage {want}"

    ok = [t for t in trials.values() if t["status"] == "ok"]
    crashed = [t for t in trials.values() if t["status"] != "ok"]
    present = sorted(int(name) for name in os.listdir(root) if name.isdigit())
    if mode == "all":
        assert present == sorted(trials), f"directories {present}, trials {sorted(trials)}"
        for tid in present:
            check_dir(tid)
        # A crashed child ruined its own copy only: every ok parent still checks (above), and its
        # children that ran later read its model intact (their own checks above).
        inherited = sum(parent(t) is not None for t in trials.values())
        assert inherited > 0, "no trial inherited a checkpoint: the test proves nothing"
        print(f"{len(present)} directories, {inherited} inherited, {len(crashed)} failed: lineages intact")
    else:
        for tid in present:
            check_dir(tid)
        best = min(ok, key=lambda t: (t["fom"], t["id"]))
        assert best["id"] in present, f"the best trial {best['id']}'s directory was removed"
        if population is not None:
            for m in range(population):
                mine = [t for t in ok if t.get("member") == m]
                if mine:
                    last = max(mine, key=lambda t: t["id"])["id"]
                    assert last in present, f"member {m}'s last ok trial {last} lost its directory"
            assert len(present) <= population + 1, f"{len(present)} directories left for {population} members"
        assert len(present) < len(trials), "nothing was removed"
        print(f"{len(present)} of {len(trials)} directories kept, the live ones")


main()
