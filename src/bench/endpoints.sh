#!/usr/bin/env bash
# Measures the example's page endpoint with wrk, the way story 1 measured theirs, against PostgreSQL:
#   (a) caching off, (b) cluster layer only, (c) all layers, (d) hand-written Redis cache-aside, and (e) all layers
#   with the template list's entity tracking off (its writes' hand-written invalidation only), against (c).
# Each variant runs on a fresh Payara Micro (started here, stopped by its PID), is warmed up, then measured for a
# fixed time; the five variants run in turn, ROUNDS times. Ratios are against (a) of the same round; the report
# gives medians over the rounds and the spread. Writes the endpoint section of docs/BENCHMARKS.md.
#
# Needs: Java 17, Maven, PostgreSQL on 127.0.0.1:5432 (database test, user postgres), Redis on 127.0.0.1:6379,
# and wrk (installed from Debian's packages if missing). Everything binds and connects to 127.0.0.1 only.
# Usage: src/bench/endpoints.sh   (ROUNDS=3 WARMUP=20s DURATION=20s CONNECTIONS=8 THREADS=1 to change;
#                                  SKIP_BUILD=1 to use the WAR already in target/)
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../scripts/payara-micro.sh
source src/scripts/payara-micro.sh

ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-20s}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-1}
SERVICES=2000
USERS=4000
PORT=${PORT:-18090}
SCHEMA=layered_cache_bench
RESULTS=target/bench
mkdir -p "$RESULTS"

command -v wrk >/dev/null || { echo "Installing wrk"; apt-get install -y wrk >/dev/null; }
pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL is not running on 127.0.0.1:5432" >&2; exit 1; }
[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ] || { echo "Redis is not running on 127.0.0.1:6379" >&2; exit 1; }

[ -n "${SKIP_BUILD:-}" ] || mvn -B -q package -Dmaven.test.skip=true

# A schema of its own holding exactly the data set the requests are built for (seeded on the first start).
psql() { command psql -h 127.0.0.1 -U postgres -d test -v ON_ERROR_STOP=1 -qtA "$@"; }
count=$(psql -c "select count(*) from information_schema.tables where table_schema = '$SCHEMA' and table_name = 'ex_service'")
if [ "$count" = 1 ]; then
    services=$(psql -c "select count(*) from $SCHEMA.ex_service")
    [ "$services" = "$SERVICES" ] || psql -c "drop schema $SCHEMA cascade"
fi
psql -c "create schema if not exists $SCHEMA"

# The run's statistics come from the library's admin resource, for a user of this run only.
ADMIN_SECRET=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
PAYARA_PID=
stop_payara() {
    payara_micro_stop "$PAYARA_PID"
    PAYARA_PID=
}
trap stop_payara EXIT

# start_payara NAME ENV...: starts the example with the given environment and waits until it answers.
start_payara() {
    local name=$1; shift
    payara_micro_command src/example/target/layered-cache-example.war "$PORT" bench "layered-cache-bench-$$"
    env "$@" \
        EXAMPLE_ADMIN_USERS="bench:$ADMIN_SECRET:layered-cache-admin" \
        EXAMPLE_DATASOURCE_CLASS=org.postgresql.ds.PGSimpleDataSource \
        EXAMPLE_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$SCHEMA" \
        EXAMPLE_DATASOURCE_USER=postgres EXAMPLE_DATASOURCE_PASSWORD=unused \
        EXAMPLE_SEED_SERVICES=$SERVICES EXAMPLE_SEED_USERS=$USERS \
        "${PAYARA_MICRO_COMMAND[@]}" > "$RESULTS/$name.log" 2>&1 &
    PAYARA_PID=$!
    payara_micro_await "$PAYARA_PID" "$RESULTS/$name.log" "http://127.0.0.1:$PORT/services/1" || exit 1
}

# measure NAME PREFIX: warms up, then measures; leaves wrk's report in $RESULTS/NAME.wrk
measure() {
    local name=$1 prefix=$2
    local url="http://127.0.0.1:$PORT"
    SERVICES=$SERVICES PAGE_PREFIX=$prefix wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" --timeout 5s \
        -s src/bench/page.lua "$url" > "$RESULTS/$name.warmup"
    SERVICES=$SERVICES PAGE_PREFIX=$prefix wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 5s --latency \
        -s src/bench/page.lua "$url" > "$RESULTS/$name.wrk"
    if grep -q "Non-2xx" "$RESULTS/$name.wrk"; then
        echo "Variant $name answered errors:" >&2; cat "$RESULTS/$name.wrk" >&2; exit 1
    fi
    curl -sf -u "bench:$ADMIN_SECRET" "$url/layered-cache/caches" > "$RESULTS/$name.caches.json"
}

drop_redis_keys() {
    for pattern in 'service-*' 'user-*' 'template-*'; do
        redis-cli -h 127.0.0.1 --scan --pattern "$pattern" | xargs -r -n 500 redis-cli -h 127.0.0.1 del > /dev/null
    done
}

run() {
    local name=$1 prefix=$2; shift 2
    echo "== $name"
    start_payara "$name" "$@"
    measure "$name" "$prefix"
    stop_payara
}

for round in $(seq 1 "$ROUNDS"); do
    run "a-off-$round" "" LAYERED_CACHE_ENABLED=false
    run "b-cluster-$round" "" LAYERED_CACHE_DEFAULT_REQUEST_ENABLED=false LAYERED_CACHE_DEFAULT_NEAR_ENABLED=false
    run "c-all-$round" ""
    drop_redis_keys
    run "d-redis-$round" "/redis" LAYERED_CACHE_ENABLED=false EXAMPLE_REDIS_ENABLED=true
    drop_redis_keys
    run "e-untracked-$round" "" LAYERED_CACHE_CACHE_TEMPLATES_TRACK_ENTITIES=false
done

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
memory=$(free -g | awk '/Mem:/ { print $2 " GiB" }')
{
    echo "## Endpoint: the admin page, five ways"
    echo
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`src/bench/endpoints.sh\` at commit $(git rev-parse --short HEAD) on $(nproc) cores ($cpu), $memory,"
    echo "$(java -version 2>&1 | head -1), Payara Micro 6.2025.10, PostgreSQL $(command psql -V | awk '{print $3}'),"
    echo "Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2), $(wrk --version 2>&1 | head -1 | awk '{print $1, $2}')."
    echo "Load generator, server and databases share the same machine and loopback."
    echo
    echo "\`GET /services/{s}/templates/{t}/page?user={u}\` for random valid triples over $SERVICES services, $USERS users and"
    echo "$((SERVICES * 3)) templates (about 14,000 cached objects of 2-4 KB across the three caches). Each variant runs on a"
    echo "fresh Payara Micro, warmed up for $WARMUP, then measured for $DURATION with"
    echo "\`wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency -s src/bench/page.lua\`; the five variants run in turn, $ROUNDS rounds."
    echo "Figures are medians over the rounds, with the lowest and highest in brackets; each ratio is taken against (a)"
    echo "of the same round (throughput over (a)'s; (a)'s median latency over the variant's), then its median is shown."
    echo
    python3 - "$RESULTS" "$ROUNDS" <<'PY'
import json, re, statistics, sys
results, rounds = sys.argv[1], int(sys.argv[2])

def wrk(name):
    text = open(f"{results}/{name}.wrk").read()
    def ms(value):
        number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
        return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
    p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
    return rps, p50, p99

def answered(name):
    caches = json.load(open(f"{results}/{name}.caches.json"))["caches"].values()
    keys = ("requestHits", "nearHits", "clusterHits", "loads")
    total = {k: sum(c["cluster"][k] for c in caches) for k in keys}
    calls = sum(total.values()) or 1
    return " / ".join("%.0f" % (100.0 * total[k] / calls) for k in keys)

def spread(values, form):
    return (form % statistics.median(values)) + " (" + (form % min(values)) + "–" + (form % max(values)) + ")"

variants = [
    ("a-off", "(a) caching off: `LAYERED_CACHE_ENABLED=false`"),
    ("b-cluster", "(b) cluster layer only: `LAYERED_CACHE_DEFAULT_REQUEST_ENABLED=false LAYERED_CACHE_DEFAULT_NEAR_ENABLED=false`"),
    ("c-all", "(c) all layers (default configuration)"),
    ("d-redis", "(d) Redis cache-aside by hand, JSON values (Jedis), annotations off: `/redis/services/...`"),
    ("e-untracked", "(e) all layers, the template list without entity tracking: `LAYERED_CACHE_CACHE_TEMPLATES_TRACK_ENTITIES=false`"),
]
print("| variant | requests/s | p50 ms | p99 ms | throughput × (a) | p50 speed-up × (a) | annotated reads answered: request / near / cluster / database % (last round) |")
print("|---|---|---|---|---|---|---|")
base = [wrk(f"a-off-{r}") for r in range(1, rounds + 1)]
for name, label in variants:
    runs = [wrk(f"{name}-{r}") for r in range(1, rounds + 1)]
    rps = [run[0] for run in runs]
    p50 = [run[1] for run in runs]
    p99 = [run[2] for run in runs]
    ratio = [run[0] / b[0] for run, b in zip(runs, base)]
    speedup = [b[1] / run[1] for run, b in zip(runs, base)]
    print(f"| {label} | {spread(rps, '%.0f')} | {spread(p50, '%.1f')} | {spread(p99, '%.1f')} | "
          f"{spread(ratio, '%.2f')} | {spread(speedup, '%.2f')} | {answered(f'{name}-{rounds}')} |")

layers = [wrk(f"c-all-{r}") for r in range(1, rounds + 1)]
redis = [wrk(f"d-redis-{r}") for r in range(1, rounds + 1)]
throughput = statistics.median(c[0] / d[0] for c, d in zip(layers, redis))
p99 = statistics.median(c[2] / d[2] for c, d in zip(layers, redis))
print()
print("All layers against the Redis cache-aside, same rounds (median of the per-round ratios):")
print()
print("| comparison | measured | goal | met |")
print("|---|---|---|---|")
print(f"| throughput (c) / (d) | {throughput:.2f}× | ≥ 1.5× | {'yes' if throughput >= 1.5 else 'no'} |")
print(f"| p99 (c) / (d) | {p99:.2f}× | ≤ 1.0× | {'yes' if p99 <= 1.0 else 'no'} |")
untracked = [wrk(f"e-untracked-{r}") for r in range(1, rounds + 1)]
tracking = statistics.median(c[0] / e[0] for c, e in zip(layers, untracked))
print(f"| throughput (c) / (e): entity tracking against hand-written invalidation (tags issue) | {tracking:.2f}× | ≥ 0.95× | {'yes' if tracking >= 0.95 else 'no'} |")
PY
    echo
    echo "The last column counts the annotated reads (5 per page: the user is read twice, once by the memoized"
    echo "permission check), warm-up included; in (d) the annotations are off, so it only shows that Redis did the"
    echo "caching there. Raw wrk reports, cache statistics and server logs of the run are in \`target/bench/\`."
} > "$RESULTS/endpoints.md"
cat "$RESULTS/endpoints.md"
src/bench/report.sh endpoints "$RESULTS/endpoints.md"
