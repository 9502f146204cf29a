#!/usr/bin/env python3
"""Reads hpo checkpoints with h5py alone, the way docs/checkpoint-format.md tells users to, for the
checkpoint tests: `check` compares a file (its trials, intermediate values...) with what the test
wrote; `forge` makes the bad files of the bad-checkpoint catalogue out of a good one (and files in
older forms that must still load: format 1, the worker column's old name).

  checkpoint_h5py_check.py check FILE EXPECTED.json [--swmr]
  checkpoint_h5py_check.py forge GOOD.h5 OUTDIR KIND...   (writes OUTDIR/KIND.h5 for each KIND)
"""
import os
import json
import math
import shutil
import struct
import sys

import h5py
import numpy as np


def fnv1a(data: bytes) -> int:
    h = 14695981039346656037
    for b in data:
        h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h


def record_bytes(r, version):
    """The packed members a commit record's hash covers: format 2 adds intermediate_count."""
    fields = [int(r["sequence"]), int(r["trial_count"]), int(r["text_length"]), int(r["state_slot"]),
              int(r["state_length"]), int(r["state_hash"]), int(r["finished"]), float(r["time"])]
    if version >= 2:
        return struct.pack("<QQQbQQbdQ", *fields, int(r["intermediate_count"]))
    return struct.pack("<QQQbQQbd", *fields)


def latest_commit(f):
    """The valid commit record with the highest sequence (docs: "Reading with h5py")."""
    version = int(f.attrs["hpo_format_version"])
    best = None
    for r in f["commit"][:]:
        if r["sequence"] != 0 and fnv1a(record_bytes(r, version)) == int(r["record_hash"]):
            if best is None or r["sequence"] > best["sequence"]:
                best = r
    if best is None:
        raise ValueError("no valid commit record")
    return best


def as_text(value):
    """A string attribute: fixed-length UTF-8 (h5py: bytes) since the checksums, str before."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def read_checkpoint(path, swmr=False):
    f = h5py.File(path, "r", swmr=swmr)
    assert as_text(f.attrs["hpo_format"]) == "hpo-checkpoint", f.attrs["hpo_format"]
    commit = latest_commit(f)
    n = int(commit["trial_count"])
    t = f["trials"]
    text = t["text"][: int(commit["text_length"])].tobytes()
    status_names = {v: k for k, v in h5py.check_enum_dtype(t["status"].dtype).items()}

    def strings(prefix):
        offsets, lengths = t[prefix + "_offset"][:n], t[prefix + "_length"][:n]
        return [text[int(o): int(o) + int(l)] for o, l in zip(offsets, lengths)]

    columns = sorted(t["values"].values(), key=lambda d: int(d.attrs["index"]))
    choices = {}
    for d in t["choices"].values():
        names = {v: k for k, v in h5py.check_enum_dtype(d.dtype).items()}
        choices[as_text(d.attrs["flag"])] = [names[int(v)] for v in d[:n]]
    trials = []
    hosts, messages = strings("host"), strings("message")
    worker = t["worker"] if "worker" in t else t["worker_rank"]  # the name before the rename
    steps = t["steps"][:n] if "steps" in t else [0] * n  # format 1 counted no steps
    parents = t["parent"][:n] if "parent" in t else [-1] * n  # format 3 on; -1: none
    members = t["member"][:n] if "member" in t else [0] * n
    repeats_of = t["repeat_of"][:n] if "repeat_of" in t else [-1] * n  # format 4 on; -1: an original
    repeats = t["repeat"][:n] if "repeat" in t else [0] * n
    for i in range(n):
        trials.append({
            "id": int(t["id"][i]), "deme": int(t["deme"][i]), "generation": int(t["generation"][i]),
            "status": status_names[int(t["status"][i])], "fom": float(t["fom"][i]), "steps": int(steps[i]),
            "parent": None if int(parents[i]) == -1 else int(parents[i]), "member": int(members[i]),
            "repeat_of": None if int(repeats_of[i]) == -1 else int(repeats_of[i]), "repeat": int(repeats[i]),
            "exit_code": int(t["exit_code"][i]), "signal": int(t["signal"][i]),
            "start_time": float(t["start_time"][i]), "end_time": float(t["end_time"][i]),
            "host": hosts[i].hex(), "worker": int(worker[i]), "message": messages[i].hex(),
            "values": [float(c[i]) for c in columns],
            "choices": {flag: names[i] for flag, names in choices.items()},
        })
    state = b""
    if commit["state_slot"] >= 0:
        state = f["strategy_state"]["slot%d" % commit["state_slot"]][: int(commit["state_length"])].tobytes()
    intermediate = []
    if "intermediate" in f:  # format 2 on
        m = int(commit["intermediate_count"])
        g = f["intermediate"]
        for trial, step, value, time, finished in zip(g["trial"][:m], g["step"][:m], g["value"][:m], g["time"][:m],
                                                      g["finished_before"][:m]):
            intermediate.append({"trial": int(trial), "step": int(step), "value": float(value), "time": float(time),
                                 "finished_before": int(finished)})
    config = f["config"]
    return {
        "format_version": int(f.attrs["hpo_format_version"]),
        "parameters": [as_text(p) for p in config.attrs["parameters"]],
        "strategy": as_text(config["strategy"].attrs["kind"]),
        "evals": int(config["strategy/random"].attrs["evals"]),
        "seed": int(config.attrs["seed"]),
        "maximize": bool(config.attrs["maximize"]),
        "command": [as_text(c) for c in config["kernel"].attrs["command"]],
        "timeout_seconds": float(config["kernel"].attrs["timeout_seconds"]),
        "finished": bool(commit["finished"]),
        "strategy_state": state.hex(),
        "trials": trials,
        "intermediate": intermediate,
    }


def same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def check(path, expected_path, swmr):
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)
    got = read_checkpoint(path, swmr)
    problems = []
    for key, value in expected.items():
        if key == "intermediate":
            if len(got[key]) != len(value):
                problems.append("%d intermediate values, expected %d" % (len(got[key]), len(value)))
            for i, (g, e) in enumerate(zip(got[key], value)):
                if not same(g, e):
                    problems.append("intermediate value %d: %r, expected %r" % (i, g, e))
        elif key == "trials":
            if len(got["trials"]) != len(value):
                problems.append("%d trials, expected %d" % (len(got["trials"]), len(value)))
            for g, e in zip(got["trials"], value):
                for field in e:
                    if not same(g[field], e[field]):
                        problems.append("trial %d %s: %r, expected %r" % (e["id"], field, g[field], e[field]))
        elif not same(got[key], value):
            problems.append("%s: %r, expected %r" % (key, got[key], value))
    for p in problems[:20]:
        print(p)
    print("h5py read %d trials and %d intermediate values: %s" % (len(got["trials"]), len(got["intermediate"]),
                                                                  "mismatch" if problems else "all as written"))
    return 1 if problems else 0


def forge(kind, good, bad):
    if kind == "foreign":  # another program's HDF5 file
        with h5py.File(bad, "w") as f:
            f.create_dataset("temperature", data=np.arange(10.0))
            f.attrs["creator"] = "some simulation"
        return 0
    shutil.copyfile(good, bad)
    with h5py.File(bad, "r+") as f:
        if kind == "newer-version":
            f.attrs["hpo_format_version"] = np.int64(99)
        elif kind == "zero-version":
            f.attrs["hpo_format_version"] = np.int64(0)
        elif kind == "no-version":
            del f.attrs["hpo_format_version"]
        elif kind == "no-format":
            del f.attrs["hpo_format"]
        elif kind == "other-format":
            f.attrs["hpo_format"] = "optuna-journal"
        elif kind == "missing-fom":
            del f["trials/fom"]
        elif kind == "missing-value-column":
            del f["trials/values"][list(f["trials/values"].keys())[0]]
        elif kind == "missing-commit":
            del f["commit"]
        elif kind == "missing-config":
            del f["config"]
        elif kind == "missing-kernel-option":  # as an hpo before config_hash would see it
            del f["config/kernel"].attrs["fom_prefix"]
            del f.attrs["config_hash"]
        elif kind == "bad-parameter-spec":
            f["config"].attrs["parameters"] = ["--lr [1,0]"]
            del f.attrs["config_hash"]
        elif kind == "edited-config":  # a changed configuration under the old checksum
            f["config/kernel"].attrs["fom_prefix"] = np.bytes_(b"FoM? ")
        elif kind == "bad-commit":
            f["commit"][...] = np.zeros(2, dtype=f["commit"].dtype)
        elif kind == "damaged-commit":  # the last record edited under its old hash, in a closed file
            records = f["commit"][:]
            last = int(np.argmax(records["sequence"]))
            record = records[last]
            record["trial_count"] += 1
            f["commit"][last] = record
        elif kind == "short-column":
            data = f["trials/deme"][:]
            f["trials/deme"].resize((len(data) // 2,))
        elif kind == "short-intermediate":  # ragged: one column shorter than the commit counts
            data = f["intermediate/value"][:]
            f["intermediate/value"].resize((len(data) // 2,))
        elif kind == "float-intermediate-step":  # the steps as float64, not int32
            data = f["intermediate/step"][:]
            del f["intermediate/step"]
            f["intermediate"].create_dataset("step", data=data.astype(np.float64), maxshape=(None,), chunks=True)
        elif kind == "missing-intermediate":
            del f["intermediate"]
        elif kind == "missing-steps":
            del f["trials/steps"]
        elif kind == "missing-parent":
            del f["trials/parent"]
        elif kind == "short-member":
            f["trials/member"].resize((f["trials/member"].shape[0] // 2,))
        elif kind == "format-1":  # as hpo wrote it before format 2: no steps, no /intermediate, old records
            to_format_1(f)
        elif kind == "worker-rank-name":  # as written before the column was named for what it holds
            f.move("trials/worker", "trials/worker_rank")
        elif kind == "bad-state":
            r = latest_commit(f)
            slot = f["strategy_state"]["slot%d" % r["state_slot"]]
            slot[0] = (int(slot[0]) + 1) % 256
        else:
            print("unknown forgery", kind)
            return 2
    return 0


def to_format_1(f):
    """Rewrites a format 2 file (whose trials are none pruned) as format 1 held it: its steps and
    intermediate values are dropped, its commit records lose intermediate_count."""
    records = f["commit"][:]
    names = [n for n in records.dtype.names if n != "intermediate_count"]
    old = np.zeros(2, dtype=np.dtype([(n, records.dtype.fields[n][0]) for n in names]))
    for i, r in enumerate(records):
        for n in names:
            old[i][n] = r[n]
        if r["sequence"] != 0:
            old[i]["record_hash"] = fnv1a(record_bytes(old[i], 1))
    del f["commit"]
    f.create_dataset("commit", data=old)
    del f["intermediate"]
    del f["trials/steps"]
    for name in ("parent", "member", "repeat_of", "repeat"):  # format 3's and 4's
        if name in f["trials"]:
            del f["trials"][name]
    f.attrs["hpo_format_version"] = np.int64(1)


def main(argv):
    if len(argv) >= 3 and argv[1] == "check":
        return check(argv[2], argv[3], "--swmr" in argv[4:])
    if len(argv) >= 5 and argv[1] == "forge":
        for kind in argv[4:]:
            status = forge(kind, argv[2], os.path.join(argv[3], kind + ".h5"))
            if status:
                return status
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
