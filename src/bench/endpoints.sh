#!/usr/bin/env bash
# Measures the example's page endpoint with wrk, the way story 1 measured theirs, against PostgreSQL:
#   (a) caching off, (b) cluster layer only, (c) all layers, (d) hand-written Redis cache-aside, and (e) all layers
#   with the template list's entity tracking off (its writes' hand-written invalidation only), against (c), and
#   (f) all layers with the cluster's values in Java serialization instead of Apache Fory's form, against (c).
# Three situations per variant, each on fresh Payara Micro nodes (started here, stopped by their PIDs):
#   steady state: node A, after every object of the data set was read once (one page per template) and a warm-up;
#   cold start joining a warm cluster: node B, started while A (filled, idle) runs, measured from its first answer;
#   cold start, empty: node C alone (Redis' keys dropped for (d)), measured from its first answer.
# The page's background writes (the view counter, the recently viewed list) are off in every variant, as the
# hand-written Redis page has none: src/bench/counters.sh measures what counting costs the page.
# The six variants run in turn, ROUNDS times. Ratios are against (a) of the same round and situation; the report
# gives medians over the rounds and the spread. Writes the endpoint section of docs/BENCHMARKS.md.
#
# Needs: Java 17, Maven, PostgreSQL on 127.0.0.1:5432 (database test, user postgres), Redis on 127.0.0.1:6379,
# and wrk (installed from Debian's packages if missing). Everything binds and connects to 127.0.0.1 only.
# Usage: src/bench/endpoints.sh   (ROUNDS=1 WARMUP=90s DURATION=20s COLD=60s CONNECTIONS=8 THREADS=1 to change;
#                                  COLD=0 for steady state only; SKIP_BUILD=1 to use the WAR already in target/)
#        PROFILE=c src/bench/endpoints.sh: only (c)'s steady state (PROFILE=d: the Redis page's), its measured
#                                  window recorded by JDK Flight Recorder (settings=profile; SETTINGS=default for the
#                                  recorder's low-overhead settings, SETTINGS=none for no recording; started and
#                                  dumped with jcmd) and summarised by src/bench/jfr-summary.py into
#                                  target/bench/profile-c.md (or -d), with the kernel's scheduler figures of the
#                                  node's threads over the window (src/bench/schedstat.py: time on a CPU and waiting
#                                  for one, per thread group); PACE_MS=4 loads the measured window below saturation:
#                                  each connection waits 4 ms on average before each request (page.lua);
#                                  docs are left alone. JOINING=1 with PROFILE: node B's first COLD seconds
#                                  instead, started while A (filled, idle) runs in the same cluster.
#        SLICES=c src/bench/endpoints.sh (or SLICES=d): node B's first COLD seconds joining a warm cluster, in
#                                  consecutive wrk runs of SLICE (10s) each, to see when the tail happens; not
#                                  recorded, into target/bench/slices-c.md; docs are left alone.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../scripts/payara-micro.sh
source src/scripts/payara-micro.sh

ROUNDS=${ROUNDS:-1}
WARMUP=${WARMUP:-90s}
DURATION=${DURATION:-20s}
COLD=${COLD:-60s}
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
PIDS=()
stop_nodes() {
    for pid in "${PIDS[@]}"; do
        payara_micro_stop "$pid"
    done
    PIDS=()
}
trap stop_nodes EXIT

# start_node NAME PORT CLUSTER ENV...: starts the example as one node of CLUSTER with the given environment and
# waits until it answers.
start_node() {
    local name=$1 port=$2 cluster=$3; shift 3
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
        echo "Something already answers on port $port: stop it first (or set PORT)" >&2; exit 1
    fi
    payara_micro_command src/example/target/layered-cache-example.war "$port" "$name" "$cluster"
    env "$@" \
        EXAMPLE_ADMIN_USERS="bench:$ADMIN_SECRET:layered-cache-admin" \
        EXAMPLE_DATASOURCE_CLASS=org.postgresql.ds.PGSimpleDataSource \
        EXAMPLE_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$SCHEMA" \
        EXAMPLE_DATASOURCE_USER=postgres EXAMPLE_DATASOURCE_PASSWORD=unused \
        EXAMPLE_SEED_SERVICES=$SERVICES EXAMPLE_SEED_USERS=$USERS \
        EXAMPLE_COUNT_VIEWS=false EXAMPLE_RECENT_VIEWS=false \
        "${PAYARA_MICRO_COMMAND[@]}" > "$RESULTS/$name.log" 2>&1 &
    PIDS+=($!)
    payara_micro_await "$!" "$RESULTS/$name.log" "http://127.0.0.1:$port/services/1" || exit 1
}

# load NAME PORT PREFIX SECONDS [--latency]: the page under wrk for a time; wrk's report in $RESULTS/NAME.wrk;
# with PACE set, each connection waits that many milliseconds on average before each request (page.lua)
load() {
    local name=$1 port=$2 prefix=$3 seconds=$4; shift 4
    SERVICES=$SERVICES PAGE_PREFIX=$prefix PACE_MS=${PACE:-} wrk -t"$THREADS" -c"$CONNECTIONS" -d"$seconds" --timeout 5s "$@" \
        -s src/bench/page.lua "http://127.0.0.1:$port" > "$RESULTS/$name.wrk"
    if grep -q "Non-2xx" "$RESULTS/$name.wrk"; then
        echo "$name answered errors:" >&2; cat "$RESULTS/$name.wrk" >&2; exit 1
    fi
}

# fill NAME PORT PREFIX: reads every object of the data set once: one page per template, in order, CONNECTIONS at a
# time (template t belongs to service (t-1)/3+1; users s and s+SERVICES belong to service s; see page.lua)
fill() {
    local name=$1 port=$2 prefix=$3
    python3 - "$SERVICES" "http://127.0.0.1:$port$prefix" > "$RESULTS/$name.urls" <<'PY'
import sys
services, base = int(sys.argv[1]), sys.argv[2]
for i in range(services * 3):
    s = i // 3 + 1
    print(f'url = "{base}/services/{s}/templates/{i + 1}/page?user={s + (i % 3) % 2 * services}"')
    print('output = "/dev/null"')
PY
    local started=$SECONDS
    curl -sf --no-progress-meter --parallel --parallel-max "$CONNECTIONS" --max-time 30 -K "$RESULTS/$name.urls" \
        || { echo "$name answered errors while filling" >&2; exit 1; }
    echo "filled in $((SECONDS - started)) s" > "$RESULTS/$name.fill"
}

drop_redis_keys() {
    for pattern in 'service-*' 'user-*' 'template-*'; do
        redis-cli -h 127.0.0.1 --scan --pattern "$pattern" | xargs -r -n 500 redis-cli -h 127.0.0.1 del > /dev/null
    done
}

# run NAME PREFIX ENV...: the three situations of one variant
run() {
    local name=$1 prefix=$2; shift 2
    local cluster="layered-cache-bench-$$-$name"
    echo "== $name: steady state"
    start_node "$name-A" "$PORT" "$cluster" "$@"
    fill "$name-steady" "$PORT" "$prefix"
    load "$name-warmup" "$PORT" "$prefix" "$WARMUP"
    load "$name-steady" "$PORT" "$prefix" "$DURATION" --latency
    curl -sf -u "bench:$ADMIN_SECRET" "http://127.0.0.1:$PORT/layered-cache/caches" > "$RESULTS/$name-steady.caches.json"
    if [ "$COLD" != 0 ]; then
        echo "== $name: cold start joining a warm cluster"
        start_node "$name-B" "$((PORT + 1))" "$cluster" "$@"
        load "$name-joining" "$((PORT + 1))" "$prefix" "$COLD" --latency
    fi
    stop_nodes
    if [ "$COLD" != 0 ]; then
        echo "== $name: cold start, empty"
        [ "$prefix" != /redis ] || drop_redis_keys
        start_node "$name-C" "$PORT" "$cluster-empty" "$@"
        load "$name-empty" "$PORT" "$prefix" "$COLD" --latency
        stop_nodes
    fi
}

if [ -n "${SLICES:-}" ]; then
    # node B's first COLD seconds (cold start joining a warm cluster) in consecutive wrk runs of SLICE each
    case "$SLICES" in
        c) prefix=""; variant=() ;;
        d) prefix=/redis; variant=(LAYERED_CACHE_ENABLED=false EXAMPLE_REDIS_ENABLED=true); drop_redis_keys ;;
        *) echo "SLICES=$SLICES: write c (all layers) or d (Redis)" >&2; exit 1 ;;
    esac
    name="slices-$SLICES" slice=${SLICE:-10s}
    start_node "$name-A" "$PORT" "layered-cache-bench-$$-slices" "${variant[@]}"
    fill "$name" "$PORT" "$prefix"
    start_node "$name-B" "$((PORT + 1))" "layered-cache-bench-$$-slices" "${variant[@]}"
    count=$(( ${COLD%s} / ${slice%s} ))
    for i in $(seq 1 "$count"); do
        load "$name-$i" "$((PORT + 1))" "$prefix" "$slice" --latency
    done
    stop_nodes
    {
        echo "Node B's first $COLD in slices of $slice, $SLICES, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD):"
        echo
        echo "| slice | requests/s | p50 | p75 | p90 | p99 |"
        echo "|---|---|---|---|---|---|"
        for i in $(seq 1 "$count"); do
            rps=$(awk '/Requests\/sec/ { print $2 }' "$RESULTS/$name-$i.wrk")
            percentiles=$(awk '$1 ~ /^(50|75|90|99)%$/ { printf " %s |", $2 }' "$RESULTS/$name-$i.wrk")
            echo "| $i | $rps |$percentiles"
        done
    } > "$RESULTS/$name.md"
    cat "$RESULTS/$name.md"
    exit 0
fi

if [ -n "${PROFILE:-}" ]; then
    case "$PROFILE" in
        c|1) PROFILE=c; prefix=""; variant=() ;;
        d) prefix=/redis; variant=(LAYERED_CACHE_ENABLED=false EXAMPLE_REDIS_ENABLED=true); drop_redis_keys ;;
        *) echo "PROFILE=$PROFILE: write c (all layers) or d (Redis)" >&2; exit 1 ;;
    esac
    name="profile-$PROFILE${JOINING:+-joining}"
    start_node "$name-A" "$PORT" "layered-cache-bench-$$-profile" "${variant[@]}"
    fill "$name" "$PORT" "$prefix"
    recorded=0 seconds=$DURATION port=$PORT
    if [ -n "${JOINING:-}" ]; then
        # node B's first COLD seconds, started while A (filled, idle) runs: the cold start joining a warm cluster
        start_node "$name-B" "$((PORT + 1))" "layered-cache-bench-$$-profile" "${variant[@]}"
        recorded=1 seconds=$COLD port=$((PORT + 1))
    else
        load "$name-warmup" "$PORT" "$prefix" "$WARMUP"
    fi
    caches() {
        curl -sf -u "bench:$ADMIN_SECRET" "http://127.0.0.1:$port/layered-cache/caches" > "$RESULTS/$name-$1.caches.json" || true
    }
    caches before
    settings=${SETTINGS:-profile}
    [ "$settings" = none ] || jcmd "${PIDS[$recorded]}" JFR.start name=window settings="$settings" > /dev/null
    python3 src/bench/schedstat.py snapshot "${PIDS[$recorded]}" > "$RESULTS/$name-before.sched.json"
    PACE=${PACE_MS:-} load "$name" "$port" "$prefix" "$seconds" --latency
    python3 src/bench/schedstat.py snapshot "${PIDS[$recorded]}" > "$RESULTS/$name-after.sched.json"
    [ "$settings" = none ] || jcmd "${PIDS[$recorded]}" JFR.dump name=window filename="$PWD/$RESULTS/$name.jfr" > /dev/null
    caches after
    stop_nodes
    if [ "$settings" = none ]; then
        {
            echo "## The page under load, not recorded"
            echo
            echo "wrk: $(grep -E '^ +(50|99)%|Requests/sec' "$RESULTS/$name.wrk" | tr -s ' ' | tr '\n' ';')"
        } > "$RESULTS/$name.md"
    else
        python3 src/bench/jfr-summary.py "$RESULTS/$name.jfr" "$RESULTS/$name.wrk" > "$RESULTS/$name.md"
    fi
    {
        echo
        echo "**The node's threads in the window** (the kernel's per-thread scheduler figures, grouped by name):"
        echo
        python3 src/bench/schedstat.py compare "$RESULTS/$name-before.sched.json" "$RESULTS/$name-after.sched.json" \
            "$(awk '/requests in/ { print $1 }' "$RESULTS/$name.wrk")"
    } >> "$RESULTS/$name.md"
    if [ -s "$RESULTS/$name-before.caches.json" ] && [ -s "$RESULTS/$name-after.caches.json" ]; then
        python3 - "$RESULTS/$name-before.caches.json" "$RESULTS/$name-after.caches.json" >> "$RESULTS/$name.md" <<'PY'
import json, sys
before, after = (json.load(open(f))["caches"] for f in sys.argv[1:3])
keys = ("requestHits", "nearHits", "clusterHits", "loads", "nearRenewals")
print("\n**Annotated reads during the recorded window**, per cache (near renewals are not reads):\n")
print("| cache | " + " | ".join(keys) + " |")
print("|---|" + "---|" * len(keys))
for cache in sorted(after):
    print("| " + cache + " | " + " | ".join(
        str(after[cache]["cluster"].get(k, 0) - before.get(cache, {}).get("cluster", {}).get(k, 0)) for k in keys) + " |")
PY
    fi
    cat "$RESULTS/$name.md"
    exit 0
fi

for round in $(seq 1 "$ROUNDS"); do
    run "a-off-$round" "" LAYERED_CACHE_ENABLED=false
    run "b-cluster-$round" "" LAYERED_CACHE_DEFAULT_REQUEST_ENABLED=false LAYERED_CACHE_DEFAULT_NEAR_ENABLED=false
    run "c-all-$round" ""
    drop_redis_keys
    run "d-redis-$round" "/redis" LAYERED_CACHE_ENABLED=false EXAMPLE_REDIS_ENABLED=true
    drop_redis_keys
    run "e-untracked-$round" "" LAYERED_CACHE_CACHE_TEMPLATES_TRACK_ENTITIES=false
    run "f-java-$round" "" LAYERED_CACHE_DEFAULT_CLUSTER_VALUE_FORM=java
done

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
memory=$(free -g | awk '/Mem:/ { print $2 " GiB" }')
{
    echo "## Endpoint: the admin page, six ways, three situations"
    echo
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`src/bench/endpoints.sh\` at commit $(git rev-parse --short HEAD) on $(nproc) cores ($cpu), $memory,"
    echo "$(java -version 2>&1 | head -1), Payara Micro 6.2025.10, PostgreSQL $(command psql -V | awk '{print $3}'),"
    echo "Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2), $(wrk --version 2>&1 | head -1 | awk '{print $1, $2}')."
    echo "Load generator, server and databases share the same machine and loopback."
    echo
    echo "\`GET /services/{s}/templates/{t}/page?user={u}\` for random valid triples over $SERVICES services, $USERS users and"
    echo "$((SERVICES * 3)) templates (about 14,000 cached objects of 2-4 KB across the three caches), with"
    echo "\`wrk -t$THREADS -c$CONNECTIONS --latency -s src/bench/page.lua\`. Per variant, on fresh Payara Micro nodes:"
    echo "**steady state** is node A measured for $DURATION after every object was read once (one page per"
    echo "template, $CONNECTIONS at a time) and a $WARMUP warm-up; **cold start, joining a warm cluster** is node B, started while A"
    echo "(filled, idle) runs in the same cluster, measured for its first $COLD from its first answer (what a rolling"
    echo "redeploy meets; for Redis, the keys A wrote are still there); **cold start, empty** is node C alone, measured the"
    echo "same way (Redis' keys dropped first). The six variants run in turn, $ROUNDS round(s). Figures are medians over"
    echo "the rounds, with the lowest and highest in brackets; ratios are taken per round and situation, then their median."
    echo
    python3 - "$RESULTS" "$ROUNDS" "$COLD" <<'PY'
import json, re, statistics, sys
results, rounds, cold = sys.argv[1], int(sys.argv[2]), sys.argv[3] != "0"

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
    ("f-java", "(f) all layers, the cluster's values in Java serialization: `LAYERED_CACHE_DEFAULT_CLUSTER_VALUE_FORM=java`"),
]
situations = [("steady", "Steady state")]
if cold:
    situations += [("joining", "Cold start, joining a warm cluster"), ("empty", "Cold start, empty cluster")]

def runs(name, situation):
    return [wrk(f"{name}-{r}-{situation}") for r in range(1, rounds + 1)]

def ratio(top, bottom, index):
    return statistics.median(t[index] / b[index] for t, b in zip(runs(top, situation), runs(bottom, situation)))

for situation, title in situations:
    print(f"### {title}")
    print()
    extra = " annotated reads answered: request / near / cluster / database % (last round, fill included) |" if situation == "steady" else ""
    print("| variant | requests/s | p50 ms | p99 ms | throughput × (a) |" + extra)
    print("|---|---|---|---|---|" + ("---|" if extra else ""))
    base = runs("a-off", situation)
    for name, label in variants:
        measured = runs(name, situation)
        rps = [m[0] for m in measured]
        line = (f"| {label} | {spread(rps, '%.0f')} | {spread([m[1] for m in measured], '%.1f')} | "
                f"{spread([m[2] for m in measured], '%.1f')} | "
                f"{spread([m[0] / b[0] for m, b in zip(measured, base)], '%.2f')} |")
        if extra:
            line += f" {answered(f'{name}-{rounds}-steady')} |"
        print(line)
    print()

print("### Against the goals (median of the per-round ratios)")
print()
print("| comparison | measured | goal | met |")
print("|---|---|---|---|")
def goal(label, value, target, at_least):
    met = value >= target if at_least else value <= target
    print(f"| {label} | {value:.2f}× | {'≥' if at_least else '≤'} {target}× | {'yes' if met else 'no'} |")
situation = "steady"
goal("steady state, throughput (c) / (d)", ratio("c-all", "d-redis", 0), 1.5, True)
goal("steady state, p99 (c) / (d)", ratio("c-all", "d-redis", 2), 1.0, False)
goal("steady state, throughput (b) / (d): the cluster layer alone", ratio("b-cluster", "d-redis", 0), 1.0, True)
goal("steady state, throughput (c) / (e): entity tracking against hand-written invalidation (tags issue)",
     ratio("c-all", "e-untracked", 0), 0.95, True)
def report(label):
    print(f"| {label}, throughput (c) / (f): Apache Fory's value form against Java serialization | "
          f"{ratio('c-all', 'f-java', 0):.2f}× | report | – |")
report("steady state")
if cold:
    situation = "joining"
    goal("cold start joining a warm cluster, throughput (c) / (d)", ratio("c-all", "d-redis", 0), 1.0, True)
    goal("cold start joining a warm cluster, p99 (c) / (d)", ratio("c-all", "d-redis", 2), 1.2, False)
    situation = "empty"
    c, d = ratio("c-all", "d-redis", 0), ratio("c-all", "d-redis", 2)
    print(f"| cold start, empty cluster, throughput (c) / (d); p99 (c) / (d) | {c:.2f}×; {d:.2f}× | report | – |")
    for situation, label in (("joining", "cold start joining a warm cluster"), ("empty", "cold start, empty cluster")):
        report(label)
PY
    echo
    echo "The last column of the steady state counts the annotated reads (5 per page: the user is read twice, once by"
    echo "the memoized permission check) on node A from its start; in (d) the annotations are off, so it only shows that"
    echo "Redis did the caching there. Raw wrk reports, cache statistics and server logs of the run are in \`target/bench/\`."
} > "$RESULTS/endpoints.md"
cat "$RESULTS/endpoints.md"
src/bench/report.sh endpoints "$RESULTS/endpoints.md"
