#!/usr/bin/env python3
"""Damages copies of a checkpoint and checks that hpo never reads damage as data.

Used by tests/cli/bit_flips.sh and bench/bit_flips.sh (not itself a test). Each case is a copy of
the intact checkpoint with one single-bit flip, or one 4 KiB page (aligned) zeroed. For every case
`hpo show` and `hpo export --format json` must either print exactly what they print for the intact
file (the damage was harmless: padding, rows past the last commit, attributes hpo does not read)
or fail with exit status 2 and a message naming the file ("detected"), leaving the file as it was.
Anything else, above all exit 0 with different output, is "silent" and fails.

Flips: half at offsets spread uniformly over the whole file (much of it is alignment padding), half
over its non-zero bytes (where the data and metadata are). Seeded: the same seed gives the same cases.
"""
import argparse
import concurrent.futures
import os
import random
import shutil
import subprocess
import sys

PAGE = 4096
NAME = "c.h5"  # every case has the same file name, so that the outputs compare as they are


def run_readers(hpo, directory):
    out = []
    for args in (["show", NAME], ["export", NAME, "--format", "json"]):
        try:
            p = subprocess.run([hpo] + args, cwd=directory, capture_output=True, timeout=120)
            out.append((p.returncode, p.stdout, p.stderr))
        except subprocess.TimeoutExpired:  # HDF5 looping over damage: a failure too
            out.append((-1, b"", b"no answer after 120 s"))
    return out


def judge(hpo, directory, damaged, reference):
    results = run_readers(hpo, directory)
    with open(os.path.join(directory, NAME), "rb") as f:
        if f.read() != damaged:
            return "bad", "the file was modified by a reader"
    verdicts = []
    for (rc, out, err), (_, ref_out, _) in zip(results, reference):
        if rc == 0 and out == ref_out:
            verdicts.append("harmless")
        elif rc == 2 and f"checkpoint '{NAME}'".encode() in err and not out:
            verdicts.append("detected")
        elif rc == 0:
            return "silent", "exit 0 with output that differs from the intact file's"
        else:
            return "bad", f"exit {rc}: {err.decode(errors='replace').strip()[:300]}"
    message = results[0][2].decode(errors="replace").strip() if "detected" in verdicts else ""
    return ("detected" if "detected" in verdicts else "harmless"), message


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("hpo")
    parser.add_argument("checkpoint")
    parser.add_argument("workdir")
    parser.add_argument("--flips", type=int, default=200)
    parser.add_argument("--pages", type=int, default=-1, help="zeroed pages to try (-1: every page)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=4)
    a = parser.parse_args()

    with open(a.checkpoint, "rb") as f:
        intact = f.read()
    rng = random.Random(a.seed)
    nonzero = [i for i, b in enumerate(intact) if b]
    cases = []
    for k in range(a.flips):
        at = rng.randrange(len(intact)) if k % 2 == 0 else rng.choice(nonzero)
        bit = rng.randrange(8)
        data = bytearray(intact)
        data[at] ^= 1 << bit
        cases.append((f"bit {bit} of byte {at}", bytes(data)))
    pages = list(range(0, len(intact), PAGE))
    if a.pages >= 0:
        pages = sorted(rng.sample(pages, min(a.pages, len(pages))))
    for at in pages:
        data = bytearray(intact)
        data[at:at + PAGE] = bytes(len(data[at:at + PAGE]))
        if data != intact:  # a page of padding zeroed is no case
            cases.append((f"page at byte {at} zeroed", bytes(data)))

    os.makedirs(os.path.join(a.workdir, "intact"), exist_ok=True)
    shutil.copyfile(a.checkpoint, os.path.join(a.workdir, "intact", NAME))
    reference = run_readers(a.hpo, os.path.join(a.workdir, "intact"))
    if any(rc != 0 for rc, _, _ in reference):
        sys.exit("the intact checkpoint does not read: " + reference[0][2].decode(errors="replace"))

    def one(index):
        what, data = cases[index]
        directory = os.path.join(a.workdir, f"case-{index}")
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, NAME), "wb") as f:
            f.write(data)
        verdict, message = judge(a.hpo, directory, data, reference)
        if verdict in ("harmless", "detected"):
            shutil.rmtree(directory)
        return what, verdict, message

    counts = {"harmless": 0, "detected": 0, "silent": 0, "bad": 0}
    flips = {"harmless": 0, "detected": 0, "silent": 0, "bad": 0}
    examples = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        for index, (what, verdict, message) in enumerate(pool.map(one, range(len(cases)))):
            counts[verdict] += 1
            if index < a.flips:
                flips[verdict] += 1
            if verdict in ("silent", "bad"):
                print(f"FAIL case-{index} ({what}): {verdict}: {message}", file=sys.stderr)
            elif verdict == "detected" and len(examples) < 3 and message not in examples:
                examples.append(message)
    pages_tried = len(cases) - a.flips
    print(f"{a.flips} single-bit flips tried: {flips['detected']} detected, {flips['harmless']} harmless "
          f"(same output), {flips['silent']} silent, {flips['bad']} other failures")
    print(f"{pages_tried} zeroed 4 KiB pages tried: {counts['detected'] - flips['detected']} detected, "
          f"{counts['harmless'] - flips['harmless']} harmless, {counts['silent'] - flips['silent']} silent, "
          f"{counts['bad'] - flips['bad']} other failures")
    for message in examples:
        print("  e.g. " + message)
    sys.exit(1 if counts["silent"] or counts["bad"] else 0)


if __name__ == "__main__":
    main()
