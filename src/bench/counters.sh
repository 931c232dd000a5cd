#!/usr/bin/env bash
# Counters (story 2's write half), two measurements in one run:
#  1. Additions per second on one node, 32 threads, 10 keys: through Counters (JMH inside Payara Micro, flushed
#     every second into PostgreSQL), waiting for the cluster and not, against one `UPDATE ... n = n + 1` per
#     addition on the same PostgreSQL; then what the flushes persisted against what was added, their statements,
#     and the flush lag.
#  2. The example's page under saturation (wrk, PostgreSQL data set of endpoints.sh) with each view counted
#     against not counted (EXAMPLE_COUNT_VIEWS=false), alternated ROUNDS times, fresh node each time.
# Loopback only; every server started here is stopped by its PID. Writes the "counters" section of
# docs/BENCHMARKS.md. Usage: src/bench/counters.sh   (ROUNDS=2 WARMUP=20s DURATION=20s SKIP_BUILD=1 to change)
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../scripts/payara-micro.sh
source src/scripts/payara-micro.sh

ROUNDS=${ROUNDS:-2}
WARMUP=${WARMUP:-20s}
DURATION=${DURATION:-20s}
THREADS=${THREADS:-32}
PORT=${PORT:-18097}
SCHEMA=layered_cache_bench
RESULTS=target/bench
mkdir -p "$RESULTS"

command -v wrk >/dev/null || { echo "Installing wrk"; apt-get install -y wrk >/dev/null; }
[ -n "${SKIP_BUILD:-}" ] || mvn -B -q -Pjmh package -Dmaven.test.skip=true
if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
    echo "Something already answers on port $PORT; stop it first" >&2
    exit 1
fi
psql -h 127.0.0.1 -U postgres -d test -qc "create schema if not exists $SCHEMA"
PAYARA_PID=
trap 'payara_micro_stop "$PAYARA_PID"' EXIT

# 1. JMH inside Payara Micro.
payara_micro_start "$RESULTS/counters-jmh-server.log" src/jmh/target/layered-cache-jmh.war "$PORT" jmh \
    "layered-cache-counters-$$"
payara_micro_await "$PAYARA_PID" "$RESULTS/counters-jmh-server.log" ""
curl -sf --max-time 900 -X POST "http://127.0.0.1:$PORT/jmh/counters?threads=$THREADS&iterations=3&seconds=5" \
    > "$RESULTS/counters-jmh.csv"
payara_micro_stop "$PAYARA_PID"
PAYARA_PID=

# 2. The page, counting on and off.
page() { # page COUNTING NAME
    EXAMPLE_COUNT_VIEWS=$1 EXAMPLE_RECENT_VIEWS=false \
    EXAMPLE_DATASOURCE_CLASS=org.postgresql.ds.PGSimpleDataSource \
    EXAMPLE_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$SCHEMA" \
    EXAMPLE_DATASOURCE_USER=postgres EXAMPLE_DATASOURCE_PASSWORD=unused \
        payara_micro_start "$RESULTS/counters-page-server.log" src/example/target/layered-cache-example.war \
        "$PORT" counting "layered-cache-counting-$$"
    payara_micro_await "$PAYARA_PID" "$RESULTS/counters-page-server.log" "http://127.0.0.1:$PORT/services/1"
    wrk -t2 -c16 -d"$WARMUP" -s src/bench/page.lua "http://127.0.0.1:$PORT" > /dev/null
    wrk -t2 -c16 -d"$DURATION" --latency -s src/bench/page.lua "http://127.0.0.1:$PORT" > "$RESULTS/$2"
    payara_micro_stop "$PAYARA_PID"
    PAYARA_PID=
}
for round in $(seq 1 "$ROUNDS"); do
    page true "counting-on-$round.wrk"
    page false "counting-off-$round.wrk"
done

{
    echo "## Counters: additions against one UPDATE each, and the page with counting on"
    echo
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`src/bench/counters.sh\` at commit $(git rev-parse --short HEAD) on $(nproc) cores, $(java -version 2>&1 | head -1)."
    echo
    python3 - "$RESULTS" "$ROUNDS" "$THREADS" "$WARMUP" "$DURATION" <<'PY'
import re, statistics, sys
results, rounds, threads, warmup, duration = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
text = open(f"{results}/counters-jmh.csv").read()
def score(name):
    for line in text.splitlines():
        if f"CounterBenchmarks.{name}\"" in line:
            cells = line.split(",")
            return float(cells[4]), float(cells[5])
    raise SystemExit(f"no {name} in the JMH results")
add, add_err = score("countersAdd")
sql, sql_err = score("sqlUpdatePerAddition")
held, held_err = score("countersAddNotAwaitingTheCluster")
held_added = re.search(r"# held added (\d+) persisted (\d+) pending (\d+)", text).groups()
added = re.search(r"# added (\d+) persisted (\d+) pending (\d+)", text).groups()
direct = re.search(r"# direct (\d+) in the database (\d+)", text).groups()
flushes = re.search(r"# flush calls (\d+) statements (\d+)", text).groups()
lag = re.search(r"# lag samples (\d+) p50 (\S+) p99 (\S+) max (\S+)", text).groups()
print(f"**Additions on one node** (JMH inside Payara Micro, `forks = 0`, {threads} threads, 3 warm-up and 3 measured"
      " iterations of 5 s, each addition to one of 10 keys at random; the counter flushed every second into"
      " PostgreSQL 127.0.0.1 by the library; the baseline is one autocommitted `UPDATE ... set n = n + 1 where id = ?`"
      " per addition on a pooled connection of the same server, same keys, same run):")
print()
print("| path | additions/s (± 99.9% error) | × one UPDATE each |")
print("|---|---|---|")
print(f"| `Counters.add` | {add:.0f} ± {add_err:.0f} | **{add / sql:.1f}×** (goal ≥ 50×) |")
print(f"| `Counters.add` to a counter that does not wait for the cluster (`awaitCluster = false`) | {held:.0f} ±"
      f" {held_err:.0f} | **{held / sql:.1f}×** (goal ≥ 50×) |")
print(f"| one `UPDATE` per addition | {sql:.0f} ± {sql_err:.0f} | 1.0× |")
print()
a, p, pend = (int(x) for x in added)
calls, statements = (int(x) for x in flushes)
print(f"Afterwards: {a} additions made through `Counters` (warm-ups included), {p} persisted by the flushes"
      f" ({'equal' if a == p else 'NOT equal'}), {pend} pending; {direct[0]} direct updates, {direct[1]} in the"
      f" database; {held_added[0]} additions to the counter that does not wait for the cluster, {held_added[1]}"
      f" persisted ({'equal' if held_added[0] == held_added[1] else 'NOT equal'}), {held_added[2]} pending."
      f" The flushes of the waiting counter made {calls} calls of the flush method with {statements} `UPDATE`s in all,"
      f" {statements / a * 10000:.2f} per 10,000 additions, plus the ledger's: one row per key and node per flush,"
      f" written in the same transaction as one batch. Flush lag (from an addition's return to the end of the first"
      f" flush call that began after it; {lag[0]} sampled additions): p50 {lag[1]} ms, p99 {lag[2]} ms, max"
      f" {lag[3]} ms, with a flush period of 1 s.")
print()
def wrk(name):
    t = open(f"{results}/{name}").read()
    def ms(value):
        number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
        return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return (float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1)),
            ms(re.search(r"^\s+50%\s+(\S+)", t, re.M).group(1)),
            ms(re.search(r"^\s+99%\s+(\S+)", t, re.M).group(1)))
on = [wrk(f"counting-on-{r}.wrk") for r in range(1, rounds + 1)]
off = [wrk(f"counting-off-{r}.wrk") for r in range(1, rounds + 1)]
print(f"**The page, each view counted against not** (the example on PostgreSQL, the data set of `endpoints.sh`;"
      f" a fresh node per run, `wrk -t2 -c16` for {warmup} of warm-up then {duration} measured, on and off"
      f" alternated, {rounds} rounds; medians):")
print()
print("| views | requests/s | p50 ms | p99 ms |")
print("|---|---|---|---|")
for label, runs in (("counted (`Counters.add` per page)", on), ("not counted", off)):
    print(f"| {label} | {statistics.median(r[0] for r in runs):.0f} | {statistics.median(r[1] for r in runs):.2f} |"
          f" {statistics.median(r[2] for r in runs):.2f} |")
p99 = statistics.median(a[2] / b[2] for a, b in zip(on, off))
tput = statistics.median(a[0] / b[0] for a, b in zip(on, off))
print()
print(f"p99 counted / not counted: **{p99:.2f}×** (goal ≤ 1.1×); throughput {tput:.2f}×.")
print()
print("What counting costs the page: one cluster write on the request thread per view, and on the flushing node a"
      " flush every 2 s (the example's period) whose method runs one JPQL `UPDATE` per template viewed since the"
      " last flush. In these 40-second runs most pages are first views of their template, so the flushes write"
      " nearly as many rows as there were views, on the same two cores and database as the page's own loads.")
PY
} > "$RESULTS/counters.md"
cat "$RESULTS/counters.md"
src/bench/report.sh counters "$RESULTS/counters.md"
