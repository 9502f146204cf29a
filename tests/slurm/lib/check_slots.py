#!/usr/bin/env python3
"""Checks that every evaluation of a run ran on its own slot of nodes, never sharing a node with
another evaluation running at the same time, from the trial table (`hpo export --format csv`)
and what each task of slot_kernel.sh recorded.

usage: check_slots.py TRIALS.csv RUN_DIR NODES_PER_EVAL ALL_NODES (e.g. n1,n2,n3,n4)
"""
import csv
import itertools
import os
import sys


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def main():
    table, run_dir, per_eval, all_nodes = sys.argv[1], sys.argv[2], int(sys.argv[3]), set(sys.argv[4].split(","))
    with open(table, newline="") as f:
        trials = list(csv.DictReader(f))
    if not trials:
        fail("no trial in " + table)
    runs = []  # (trial id, nodes, start, end)
    for trial in trials:
        tid = trial["id"]
        if trial["status"] != "ok":
            fail(f"trial {tid} ended {trial['status']}: {trial['message']}")
        trial_dir = os.path.join(run_dir, tid)
        with open(os.path.join(trial_dir, "nodefile")) as f:
            slot = [line.strip() for line in f if line.strip()]
        with open(os.path.join(trial_dir, "tasks.log")) as f:
            tasks = [line.split() for line in f if line.strip()]
        if len(slot) != per_eval or len(set(slot)) != per_eval:
            fail(f"trial {tid}: its node file lists {slot}, not {per_eval} distinct nodes")
        task_nodes = sorted(task[1] for task in tasks)
        if task_nodes != sorted(slot):
            fail(f"trial {tid}: its tasks ran on {task_nodes}, its slot is {slot}")
        hostlists = {task[2] for task in tasks}
        if hostlists != {trial["host"]}:
            fail(f"trial {tid}: HPO_NODES {hostlists} differs from the recorded host {trial['host']!r}")
        start = min(float(task[3]) for task in tasks)
        end = max(float(task[4]) for task in tasks)
        # hpo's own times span the whole srun, which holds the nodes longer than the tasks.
        runs.append((tid, set(slot), min(start, float(trial["start_time"])), max(end, float(trial["end_time"]))))

    concurrent = 0
    for (a, nodes_a, start_a, end_a), (b, nodes_b, start_b, end_b) in itertools.combinations(runs, 2):
        overlap_in_time = start_a < end_b and start_b < end_a
        if overlap_in_time and nodes_a & nodes_b:
            fail(f"trials {a} and {b} ran at the same time on {sorted(nodes_a & nodes_b)}")
        concurrent += overlap_in_time
    if concurrent == 0:
        fail("no two evaluations ever ran at the same time: the slots were not used in parallel")
    used = set().union(*(nodes for _, nodes, _, _ in runs))
    if used != all_nodes:
        fail(f"the evaluations used {sorted(used)}, not every node of {sorted(all_nodes)}")
    print(f"ok: {len(runs)} trials on slots of {per_eval} nodes, {concurrent} concurrent pairs, no shared node")


main()
