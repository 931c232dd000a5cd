#!/usr/bin/env python3
"""Snapshots or compares the Linux scheduler's per-thread figures of one process (/proc/PID/task/*/schedstat: time
on a CPU, time runnable but waiting for one, slices run), grouped by thread name. Shows whether a page's threads
waited for a CPU or for something else while under load.
Usage: schedstat.py snapshot PID > FILE;  schedstat.py compare BEFORE AFTER [REQUESTS]  (prints Markdown)"""
import collections
import json
import os
import re
import sys


def snapshot(pid):
    threads = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                on_cpu, waiting, slices = (int(v) for v in f.read().split())
        except OSError:
            continue                                  # the thread ended meanwhile
        threads[tid] = (name, on_cpu, waiting, slices)
    return threads


def group(name):
    # thread names are cut at 15 characters by the kernel; group pool threads by the name without their number
    return re.sub(r"[-(]?\d+\)?$", "", name) or name


def compare(before, after, requests):
    sums = collections.defaultdict(lambda: [0, 0, 0, 0])
    for tid, (name, on_cpu, waiting, slices) in after.items():
        old = before.get(tid, (name, 0, 0, 0))
        s = sums[group(name)]
        s[0] += 1
        s[1] += on_cpu - old[1]
        s[2] += waiting - old[2]
        s[3] += slices - old[3]
    rows = sorted(sums.items(), key=lambda item: -(item[1][1] + item[1][2]))
    per = f" | on a CPU, µs per request | waiting, µs per request" if requests else ""
    print(f"| threads | count | on a CPU, ms | waiting for a CPU, ms | slices{per} |")
    print("|---|---|---|---|---|" + ("---|---|" if requests else ""))
    for name, (count, on_cpu, waiting, slices) in rows[:8]:
        line = f"| `{name}` | {count} | {on_cpu / 1e6:.0f} | {waiting / 1e6:.0f} | {slices}"
        if requests:
            line += f" | {on_cpu / 1e3 / requests:.0f} | {waiting / 1e3 / requests:.0f}"
        print(line + " |")


if __name__ == "__main__":
    if sys.argv[1] == "snapshot":
        json.dump(snapshot(sys.argv[2]), sys.stdout)
    else:
        compare(json.load(open(sys.argv[2])), json.load(open(sys.argv[3])),
                int(sys.argv[4]) if len(sys.argv) > 4 else 0)
