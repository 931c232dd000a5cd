#!/usr/bin/env bash
# The page once warm, one connection at a time: the annotations (all layers) and the hand-written Redis
# cache-aside on the same Payara Micro, over a hot set small enough to be cached in full after the warm-up, so
# that the figures show what a served page costs rather than what misses cost. Alternates the two paths, ROUNDS
# times. Needs what endpoints.sh needs. Writes the "warm" section of docs/BENCHMARKS.md.
# Usage: src/bench/warm.sh   (ROUNDS=3 WARMUP=15s DURATION=15s SKIP_BUILD=1 to change)
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../scripts/payara-micro.sh
source src/scripts/payara-micro.sh

ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-15s}
DURATION=${DURATION:-15s}
HOT_SERVICES=200
PORT=${PORT:-18091}
SCHEMA=layered_cache_bench
RESULTS=target/bench
mkdir -p "$RESULTS"

command -v wrk >/dev/null || { echo "Installing wrk"; apt-get install -y wrk >/dev/null; }
[ -n "${SKIP_BUILD:-}" ] || mvn -B -q package -Dmaven.test.skip=true
command psql -h 127.0.0.1 -U postgres -d test -qc "create schema if not exists $SCHEMA"

drop_redis_keys() {
    for pattern in 'service-*' 'user-*' 'template-*'; do
        redis-cli -h 127.0.0.1 --scan --pattern "$pattern" | xargs -r -n 500 redis-cli -h 127.0.0.1 del > /dev/null
    done
}
drop_redis_keys
EXAMPLE_REDIS_ENABLED=true \
EXAMPLE_DATASOURCE_CLASS=org.postgresql.ds.PGSimpleDataSource \
EXAMPLE_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$SCHEMA" \
EXAMPLE_DATASOURCE_USER=postgres EXAMPLE_DATASOURCE_PASSWORD=unused \
    payara_micro_start "$RESULTS/warm-server.log" src/example/target/layered-cache-example.war "$PORT" warm \
    "layered-cache-warm-$$"
trap 'payara_micro_stop $PAYARA_PID; drop_redis_keys' EXIT
payara_micro_await "$PAYARA_PID" "$RESULTS/warm-server.log" "http://127.0.0.1:$PORT/services/1"

page() { # page NAME PREFIX DURATION
    SERVICES=$HOT_SERVICES PAGE_PREFIX=$2 wrk -t1 -c1 -d"$3" --latency -s src/bench/page.lua \
        "http://127.0.0.1:$PORT" > "$RESULTS/$1"
}
page warm-layers.warmup "" "$WARMUP"
page warm-redis.warmup "/redis" "$WARMUP"
for round in $(seq 1 "$ROUNDS"); do
    page "warm-layers-$round.wrk" "" "$DURATION"
    page "warm-redis-$round.wrk" "/redis" "$DURATION"
done

{
    echo "## Endpoint, warm: what a served page costs (all layers against Redis by hand)"
    echo
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`src/bench/warm.sh\` at commit $(git rev-parse --short HEAD) on the machine above. One Payara Micro serves both"
    echo "paths (annotations on, Redis variant on) over $HOT_SERVICES services ($((HOT_SERVICES * 6)) pages), small enough to be fully"
    echo "cached after a $WARMUP warm-up of each path; then \`wrk -t1 -c1 -d$DURATION --latency\` on each path in turn, $ROUNDS rounds."
    echo "One connection, so the figures are the cost of one page, not of the machine's saturation; medians over rounds."
    echo
    python3 - "$RESULTS" "$ROUNDS" <<'PY'
import re, statistics, sys
results, rounds = sys.argv[1], int(sys.argv[2])
def wrk(name):
    text = open(f"{results}/{name}").read()
    def us(value):
        number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
        return float(number) * {"us": 1.0, "ms": 1000.0, "s": 1e6}[unit]
    return (float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
            us(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1)),
            us(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1)))
print("| path | requests/s | p50 µs | p99 µs | throughput × Redis |")
print("|---|---|---|---|---|")
redis = [wrk(f"warm-redis-{r}.wrk") for r in range(1, rounds + 1)]
for label, name in (("all layers (annotations)", "warm-layers"), ("Redis cache-aside by hand", "warm-redis")):
    runs = [wrk(f"{name}-{r}.wrk") for r in range(1, rounds + 1)]
    ratio = statistics.median(run[0] / r[0] for run, r in zip(runs, redis))
    print(f"| {label} | {statistics.median(r[0] for r in runs):.0f} | {statistics.median(r[1] for r in runs):.0f} | "
          f"{statistics.median(r[2] for r in runs):.0f} | {ratio:.2f} |")
PY
} > "$RESULTS/warm.md"
cat "$RESULTS/warm.md"
src/bench/report.sh warm "$RESULTS/warm.md"
