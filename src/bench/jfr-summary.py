#!/usr/bin/env python3
"""Summarises a JDK Flight Recorder file of the page under load: where the request threads waited and for how
long (GC pauses, parked threads, monitors, socket reads), and where they ran, grouped by the first frame of the
library, Hazelcast, Fory, the JDBC driver or Jedis. Prints Markdown. Usage: jfr-summary.py FILE.jfr [WRK_REPORT]"""
import collections
import json
import subprocess
import sys

OWNERS = ("org.layeredcache.internal", "org.layeredcache.example", "com.hazelcast", "org.apache.fory",
          "org.postgresql", "redis.clients", "org.eclipse.persistence", "org.glassfish.jersey", "org.eclipse.yasson")


def events(path, names):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", ",".join(names), path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def millis(duration):
    # JFR's JSON durations look like "PT0.012345S"
    text = duration[2:-1] if duration.startswith("PT") else duration
    if "M" in text:
        minutes, seconds = text.split("M")
        return (float(minutes) * 60 + float(seconds or 0)) * 1000
    return float(text) * 1000


def thread(event):
    t = event["values"].get("eventThread") or event["values"].get("sampledThread") or {}
    return (t or {}).get("javaName") or ""


def owner(event):
    frames = ((event["values"].get("stackTrace") or {}).get("frames")) or []
    for frame in frames:                      # the library's own frame first: it says which operation waited
        cls = frame["method"]["type"]["name"].replace("/", ".")
        if cls.startswith("org.layeredcache.internal"):
            return cls.rsplit(".", 1)[-1] + "." + frame["method"]["name"]
    for frame in frames:
        cls = frame["method"]["type"]["name"].replace("/", ".")
        for prefix in OWNERS:
            if cls.startswith(prefix):
                return cls.rsplit(".", 1)[-1] + "." + frame["method"]["name"]
    return "(none: " + (frames[0]["method"]["type"]["name"].replace("/", ".").rsplit(".", 1)[-1] + "."
                        + frames[0]["method"]["name"] if frames else "?") + ")"


def request_thread(name):
    return name.startswith("http-thread-pool")


def main():
    path = sys.argv[1]
    print("## Profile of the page under load: " + path + "\n")
    if len(sys.argv) > 2:
        with open(sys.argv[2]) as wrk:
            lines = [line.rstrip() for line in wrk if "%" in line and ("ms" in line or "us" in line)]
        print("wrk latency distribution of the recorded window: " + "; ".join(l.strip() for l in lines) + "\n")

    gcs = events(path, ["jdk.GarbageCollection"])
    pauses = sorted((millis(e["values"]["longestPause"]), millis(e["values"]["sumOfPauses"]),
                     e["values"]["name"]) for e in gcs)
    total = sum(p[1] for p in pauses)
    print(f"**Garbage collection:** {len(gcs)} collections, pauses {total:.1f} ms in all, longest "
          f"{max((p[0] for p in pauses), default=0):.1f} ms; by collector: "
          + ", ".join(f"{k} {v}" for k, v in collections.Counter(p[2] for p in pauses).items()) + "\n")

    print("| request threads waited on | events | total ms | longest ms | where (first frame of interest) |")
    print("|---|---|---|---|---|")
    for name, label in (("jdk.ThreadPark", "parked (locks, futures)"), ("jdk.JavaMonitorEnter", "a monitor"),
                        ("jdk.SocketRead", "a socket read"), ("jdk.JavaMonitorWait", "Object.wait")):
        waits = [e for e in events(path, [name]) if request_thread(thread(e))]
        by = collections.defaultdict(list)
        for e in waits:
            by[owner(e)].append(millis(e["values"]["duration"]))
        for where, durations in sorted(by.items(), key=lambda item: -sum(item[1]))[:6]:
            print(f"| {label} | {len(durations)} | {sum(durations):.0f} | {max(durations):.1f} | `{where}` |")
    print()

    samples = [e for e in events(path, ["jdk.ExecutionSample"]) if request_thread(thread(e))]
    by = collections.Counter(owner(e) for e in samples)
    print(f"**Request threads on the CPU:** {len(samples)} samples; first frame of interest, top 12:\n")
    print("| where | samples | share |")
    print("|---|---|---|")
    for where, count in by.most_common(12):
        print(f"| `{where}` | {count} | {100 * count / max(1, len(samples)):.0f} % |")


if __name__ == "__main__":
    main()
