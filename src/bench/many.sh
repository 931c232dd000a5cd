#!/usr/bin/env bash
# The many-keys figures: (1) JMH, inside Payara Micro: one per-element read of 100 ids of which 90 are cached,
# against a loop of 100 single cached reads and a Redis MGET of the same 100 items as JSON; (2) the bulk preload
# of 100,000 items of 2 KB from PostgreSQL (127.0.0.1:5432, database test) with four chunk sizes, against reading
# the source alone. Loopback only; Payara Micro is started here and stopped by its PID; the preload's table is
# dropped at the end. Writes target/bench/many.md and target/bench/preload.md and their docs/BENCHMARKS.md sections.
# Usage: src/bench/many.sh            (ITERATIONS=5 ITERATION_SECONDS=2 ROWS=100000 to change)
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../scripts/payara-micro.sh
source src/scripts/payara-micro.sh

ITERATIONS=${ITERATIONS:-5}
SECONDS_PER_ITERATION=${ITERATION_SECONDS:-2}
ROWS=${ROWS:-100000}
PORT=${PORT:-18096}
RESULTS=target/bench
mkdir -p "$RESULTS"

[ -n "${SKIP_BUILD:-}" ] || mvn -B -q -Pjmh package -Dmaven.test.skip=true
[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ] || { echo "Redis is not running on 127.0.0.1:6379" >&2; exit 1; }
pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL is not running on 127.0.0.1:5432" >&2; exit 1; }

payara_micro_start "$RESULTS/many-server.log" src/jmh/target/layered-cache-jmh.war "$PORT" many "layered-cache-many-$$"
trap 'payara_micro_stop $PAYARA_PID' EXIT
payara_micro_await "$PAYARA_PID" "$RESULTS/many-server.log" ""

curl -sf --max-time 1800 -X POST "http://127.0.0.1:$PORT/jmh?iterations=$ITERATIONS&seconds=$SECONDS_PER_ITERATION&benchmarks=ManyKeysBenchmarks" \
    > "$RESULTS/many.csv"
curl -sf --max-time 1800 -X POST "http://127.0.0.1:$PORT/jmh/preload?rows=$ROWS" > "$RESULTS/preload.csv"

score() { awk -F, -v b="\"org.layeredcache.jmh.ManyKeysBenchmarks.$1\"" '$1 == b { print $5 / 1000 }' "$RESULTS/many.csv"; }
error() { awk -F, -v b="\"org.layeredcache.jmh.ManyKeysBenchmarks.$1\"" '$1 == b { print $6 / 1000 }' "$RESULTS/many.csv"; }
ratio() { echo "$(score "$1") / $(score "$2")" | bc -l; }
{
    echo "## Many keys at once: 100 ids, 90 cached (JMH inside Payara Micro)"
    echo
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`src/bench/many.sh\` at commit $(git rev-parse --short HEAD) on $(nproc) cores, $(java -version 2>&1 | head -1),"
    echo "Payara Micro 6.2025.10 (one Hazelcast member in the same JVM). JMH 1.37, average time per call, one thread,"
    echo "$ITERATIONS + $ITERATIONS iterations of ${SECONDS_PER_ITERATION} s, \`forks = 0\`. 100 ids of 2 KB items; before each call (outside the timing)"
    echo "10 of them are dropped from every layer with \`@Invalidates\`, so 90 are in the near layer and 10 must be loaded."
    echo "Request layer off. The Redis baseline reads the same 100 items as JSON with one \`MGET\` and decodes each with"
    echo "JSON-B (pooled connection, 127.0.0.1:6379)."
    echo
    echo "| call | µs/op (± 99.9% error) | × loop of single reads | × Redis MGET |"
    echo "|---|---|---|---|"
    for b in perElementRead loopOfSingleReads redisMgetAndJsonDecode; do
        case $b in
            perElementRead) name="\`@CachedRead(each = \"ids\")\`, one call for 100 ids";;
            loopOfSingleReads) name="loop of 100 single \`@CachedRead\` calls (same entries)";;
            *) name="Redis MGET of 100 JSON values + JSON-B decode";;
        esac
        printf '| %s | %.1f ± %.1f | %.2f | %.2f |\n' "$name" "$(score $b)" "$(error $b)" \
            "$(ratio $b loopOfSingleReads)" "$(ratio $b redisMgetAndJsonDecode)"
    done
    echo
    echo "What one such call did, checked in the same server before the measurement:"
    echo "$(grep '^# one read' "$RESULTS/many.csv" | sed 's/^# //')."
    echo "The layers are asked once each: one near multi-get (Caffeine \`getAllPresent\`) for the 100 keys, then for the"
    echo "10 it lacks one pipelined round of cluster gets, one of claims and, after the load, one of puts (every"
    echo "operation of a round is sent before any answer is awaited); the method runs once with the 10 missing ids."
    echo "Raw results: \`target/bench/many.csv\`."
} > "$RESULTS/many.md"
cat "$RESULTS/many.md"
src/bench/report.sh many "$RESULTS/many.md"

# preload.csv: what,chunk,entries,millis,perSecond,peakHeapMb,heapBeforeMb,bulkPuts,skipped
source_ms=$(awk -F, '$1 == "source only" { print $4 }' "$RESULTS/preload.csv")
{
    echo "## Bulk preload: $ROWS items of 2 KB from PostgreSQL"
    echo
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`src/bench/many.sh\` at commit $(git rev-parse --short HEAD), same server (\`-Xmx1g\`), PostgreSQL on"
    echo "127.0.0.1. The source reads the table in keyset pages of 1000 rows, one autocommit query each (no transaction"
    echo "held). \`CacheTasks.preload\` into four caches that differ only in \`preload.chunk-size\`; chunk size 1 is one put"
    echo "per entry, the baseline for bulk puts. Wall-clock time of one run each (seconds long, so not JMH); the cache"
    echo "is emptied after each run. Peak heap: all heap pools, peaks reset after a GC before each run; it includes the"
    echo "cluster member's own copy of the entries, which lives in this JVM here (about $((ROWS * 2150 / 1048576)) MB of stored bytes)."
    echo
    echo "| run | chunk size | entries | seconds | entries/s | × source alone (time) | × chunk size 1 (time) | peak heap MB (before) | bulk puts |"
    echo "|---|---|---|---|---|---|---|---|---|"
    one_ms=$(awk -F, '$1 == "preload" && $2 == "1" { print $4 }' "$RESULTS/preload.csv")
    awk -F, -v src="$source_ms" -v one="$one_ms" 'NR > 1 {
        printf "| %s | %s | %s | %.1f | %s | %.2f | %s | %s (%s) | %s |\n", $1, ($2 == "" ? "–" : $2), $3, $4 / 1000, $5,
            $4 / src, ($1 == "preload" ? sprintf("%.2f", $4 / one) : "–"), $6, $7, ($1 == "preload" ? $8 : "–")
    }' "$RESULTS/preload.csv"
    echo
    echo "Raw results: \`target/bench/preload.csv\`."
} > "$RESULTS/preload.md"
cat "$RESULTS/preload.md"
src/bench/report.sh preload "$RESULTS/preload.md"
