#!/usr/bin/env bash
# Counts how often a slow method (200 ms) runs when many callers want one key at once:
#   (1) 64 concurrent cold misses of one key on one node, (2) the same spread over three nodes of one cluster,
#   (3) steady load on one key with a 2 s TTL, without and with refreshAfter = 1s.
# Three Payara Micro nodes (the benchmark WAR, loopback only, TCP/IP discovery on 127.0.0.1, a cluster name of
# their own) are started here and stopped by their PIDs. Each cold trial uses a new key. Writes the stampede
# section of docs/BENCHMARKS.md.
# Needs: Java 17, Maven, curl 7.68+ (--parallel), wrk (installed from Debian's packages if missing).
# Usage: src/bench/stampede.sh   (TRIALS=5 CALLERS=64 STEADY=20s STEADY_CONNECTIONS=32 to change; SKIP_BUILD=1)
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../scripts/payara-micro.sh
source src/scripts/payara-micro.sh

TRIALS=${TRIALS:-5}
CALLERS=${CALLERS:-64}
STEADY=${STEADY:-20s}
STEADY_CONNECTIONS=${STEADY_CONNECTIONS:-32}
FIRST_PORT=${FIRST_PORT:-18101}
RESULTS=target/bench
mkdir -p "$RESULTS"
command -v wrk >/dev/null || { echo "Installing wrk"; apt-get install -y wrk >/dev/null; }
[ -n "${SKIP_BUILD:-}" ] || mvn -B -q -Pjmh package -Dmaven.test.skip=true

PIDS=()
stop_all() { for pid in "${PIDS[@]}"; do payara_micro_stop "$pid"; done; }
trap stop_all EXIT
CLUSTER="layered-cache-stampede-$$"
PORTS=()
for i in 1 2 3; do
    port=$((FIRST_PORT + i - 1))
    PORTS+=("$port")
    payara_micro_start "$RESULTS/stampede-node-$i.log" src/jmh/target/layered-cache-jmh.war "$port" "stampede-$i" "$CLUSTER"
    PIDS+=("$PAYARA_PID")
done
for i in 0 1 2; do
    payara_micro_await "${PIDS[$i]}" "$RESULTS/stampede-node-$((i + 1)).log" \
        "http://127.0.0.1:${PORTS[$i]}/stampede/statistics"
done
for _ in $(seq 1 120); do
    grep -q "DG Size: 3" "$RESULTS/stampede-node-1.log" && break
    sleep 1
done
grep -q "DG Size: 3" "$RESULTS/stampede-node-1.log" || { echo "the three nodes did not form one cluster" >&2; exit 1; }

# method_runs: how often the slow method ran on all nodes together, so far.
method_runs() {
    local total=0 port
    for port in "${PORTS[@]}"; do
        total=$((total + $(curl -sf "http://127.0.0.1:$port/stampede/statistics" | sed -n 's/^methodRuns=//p')))
    done
    echo "$total"
}
# counter CACHE NAME PORT: one counter of one cache on one node.
counter() {
    curl -sf "http://127.0.0.1:$3/stampede/statistics" | awk -v c="$1" -v n="$2" \
        '$1 == c { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == n) print kv[2] } }'
}
# burst NODES...: CALLERS requests for one new key, all at once, spread over the given node ports in turn.
burst() {
    local id=$RANDOM$RANDOM ports=("$@") args=() i
    for ((i = 0; i < CALLERS; i++)); do
        args+=(-o /dev/null "http://127.0.0.1:${ports[$((i % ${#ports[@]}))]}/stampede/cold/$id")
    done
    curl -sf --no-progress-meter --parallel --parallel-immediate --parallel-max "$CALLERS" "${args[@]}"
}

one_node=()
three_nodes=()
for _ in $(seq 1 "$TRIALS"); do
    before=$(method_runs); burst "${PORTS[0]}"; one_node+=($(( $(method_runs) - before )))
    before=$(method_runs); burst "${PORTS[@]}"; three_nodes+=($(( $(method_runs) - before )))
done

# steady NAME PATH: STEADY of wrk on one key of node 1; method runs by callers and by refreshes, and callers that
# waited for another caller's load.
steady() {
    local cache=$1 path=$2 id=$RANDOM$RANDOM port=${PORTS[0]}
    curl -sf -o /dev/null "http://127.0.0.1:$port/stampede/$path/$id"
    local loads0 shared0 refresh0 runs0
    loads0=$(counter "$cache" loads "$port"); shared0=$(counter "$cache" sharedLoads "$port")
    refresh0=$(counter "$cache" refreshes "$port"); runs0=$(method_runs)
    wrk -t 2 -c "$STEADY_CONNECTIONS" -d "$STEADY" "http://127.0.0.1:$port/stampede/$path/$id" \
        > "$RESULTS/stampede-$path.wrk"
    echo "$(( $(counter "$cache" loads "$port") - loads0 )) $(( $(counter "$cache" sharedLoads "$port") - shared0 ))" \
         "$(( $(counter "$cache" refreshes "$port") - refresh0 )) $(( $(method_runs) - runs0 ))" \
         "$(awk '/Requests\/sec/ { print $2 }' "$RESULTS/stampede-$path.wrk")"
}
read -r short_loads short_waiters short_refreshes short_runs short_rps <<< "$(steady stampede-short short)"
read -r ahead_loads ahead_waiters ahead_refreshes ahead_runs ahead_rps <<< "$(steady stampede-refreshed refreshed)"
seconds=${STEADY%s}

{
    echo "## Stampedes: how often a slow method runs"
    echo
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`src/bench/stampede.sh\` at commit $(git rev-parse --short HEAD) on $(nproc) cores,"
    echo "$(java -version 2>&1 | head -1), three Payara Micro 6.2025.10 nodes in one cluster on this machine. The method"
    echo "sleeps 200 ms (a heavy query). Each cold trial asks for a new key; $CALLERS requests are sent at once (curl --parallel)."
    echo
    echo "| what | method runs, trial by trial | goal |"
    echo "|---|---|---|"
    echo "| $CALLERS concurrent cold misses of one key on one node | ${one_node[*]} | 1 |"
    echo "| $CALLERS concurrent cold misses of one key spread over three nodes | ${three_nodes[*]} | 1 in the cluster |"
    echo
    echo "Steady load: wrk, $STEADY_CONNECTIONS connections for $STEADY on one key of one node, TTL 2 s (so about $((seconds / 2)) expiries):"
    echo
    echo "| cache | requests/s | loads by callers | callers that waited for a load | refresh-ahead reloads | method runs |"
    echo "|---|---|---|---|---|---|"
    echo "| TTL 2 s | $short_rps | $short_loads | $short_waiters | $short_refreshes | $short_runs |"
    echo "| TTL 2 s, \`refreshAfter = \"1s\"\` | $ahead_rps | $ahead_loads | $ahead_waiters | $ahead_refreshes | $ahead_runs |"
    echo
    echo "Without refresh-ahead, each expiry costs one load (single flight) and every caller that arrives during"
    echo "its 200 ms waits for it. With it, no caller loads or waits once the key is warm: one background reload"
    echo "runs each time the entry is older than 1 s, so about one per 1.2 s (1 s plus the 200 ms load) rather than one"
    echo "per 2 s TTL (goal: 0 callers waiting, 1 reload per expiry)."
} > "$RESULTS/stampede.md"
cat "$RESULTS/stampede.md"
src/bench/report.sh stampede "$RESULTS/stampede.md"
