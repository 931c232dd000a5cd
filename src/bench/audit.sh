#!/usr/bin/env bash
# What the consistency auditor costs the page: the example's page under saturation (wrk, the PostgreSQL data set of
# endpoints.sh) with the auditor on for every cache at its default rate (one entry per second per cache and node:
# LAYERED_CACHE_DEFAULT_AUDIT_ENABLED=true) against off, a fresh node per run, the order alternated per round so
# that a drift of the machine favours neither, after one run that is not reported (it seeds the data set on a
# fresh machine and warms PostgreSQL). Views are not counted in either (EXAMPLE_COUNT_VIEWS=false), so the
# auditor is the only difference. Loopback only; every server started here is stopped by its PID. Writes the
# "audit" section of docs/BENCHMARKS.md. Usage: src/bench/audit.sh   (ROUNDS=5 WARMUP=20s DURATION=20s SKIP_BUILD=1)
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../scripts/payara-micro.sh
source src/scripts/payara-micro.sh

ROUNDS=${ROUNDS:-5}
WARMUP=${WARMUP:-20s}
DURATION=${DURATION:-20s}
PORT=${PORT:-18098}
SCHEMA=layered_cache_bench
RESULTS=target/bench
mkdir -p "$RESULTS"

command -v wrk >/dev/null || { echo "Installing wrk"; apt-get install -y wrk >/dev/null; }
[ -n "${SKIP_BUILD:-}" ] || mvn -B -q package -Dmaven.test.skip=true
if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
    echo "Something already answers on port $PORT; stop it first" >&2
    exit 1
fi
psql -h 127.0.0.1 -U postgres -d test -qc "create schema if not exists $SCHEMA"
ADMIN_SECRET=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
PAYARA_PID=
trap 'payara_micro_stop "$PAYARA_PID"' EXIT

page() { # page AUDITED NAME
    LAYERED_CACHE_DEFAULT_AUDIT_ENABLED=$1 EXAMPLE_COUNT_VIEWS=false EXAMPLE_RECENT_VIEWS=false \
    EXAMPLE_ADMIN_USERS="bench:$ADMIN_SECRET:layered-cache-admin" \
    EXAMPLE_DATASOURCE_CLASS=org.postgresql.ds.PGSimpleDataSource \
    EXAMPLE_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$SCHEMA" \
    EXAMPLE_DATASOURCE_USER=postgres EXAMPLE_DATASOURCE_PASSWORD=unused \
        payara_micro_start "$RESULTS/$2-server.log" src/example/target/layered-cache-example.war \
        "$PORT" audit "layered-cache-audit-$$"
    payara_micro_await "$PAYARA_PID" "$RESULTS/$2-server.log" "http://127.0.0.1:$PORT/services/1"
    wrk -t2 -c16 -d"$WARMUP" -s src/bench/page.lua "http://127.0.0.1:$PORT" > /dev/null
    wrk -t2 -c16 -d"$DURATION" --latency -s src/bench/page.lua "http://127.0.0.1:$PORT" > "$RESULTS/$2.wrk"
    for cache in services users templates; do
        curl -sf -u "bench:$ADMIN_SECRET" "http://127.0.0.1:$PORT/layered-cache/caches/$cache/audit"
        echo
    done > "$RESULTS/$2.audit.json"
    payara_micro_stop "$PAYARA_PID"
    PAYARA_PID=
}
page false "audit-unmeasured"        # seeds the schema if needed and warms PostgreSQL; not reported
for round in $(seq 1 "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then
        page true "audit-on-$round"; page false "audit-off-$round"
    else
        page false "audit-off-$round"; page true "audit-on-$round"
    fi
done

{
    echo "## What the consistency auditor costs the page"
    echo
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`src/bench/audit.sh\` at commit $(git rev-parse --short HEAD) on $(nproc) cores, $(java -version 2>&1 | head -1)."
    echo
    python3 - "$RESULTS" "$ROUNDS" "$WARMUP" "$DURATION" <<'PY'
import json, re, statistics, sys
results, rounds, warmup, duration = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def wrk(name):
    t = open(f"{results}/{name}.wrk").read()
    def ms(value):
        number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
        return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return (float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1)),
            ms(re.search(r"^\s+50%\s+(\S+)", t, re.M).group(1)),
            ms(re.search(r"^\s+99%\s+(\S+)", t, re.M).group(1)))
def audits(name):
    return [json.loads(line) for line in open(f"{results}/{name}.audit.json") if line.strip()]
on = [wrk(f"audit-on-{r}") for r in range(1, rounds + 1)]
off = [wrk(f"audit-off-{r}") for r in range(1, rounds + 1)]
print(f"The example on PostgreSQL (the data set of `endpoints.sh`), views not counted; a fresh node per run,"
      f" `wrk -t2 -c16` for {warmup} of warm-up then {duration} measured; auditor on and off alternated (the order"
      f" switched each round), {rounds} rounds; medians, lowest and highest in brackets:")
print()
print("| auditor | requests/s | p50 ms | p99 ms |")
print("|---|---|---|---|")
def spread(values, form):
    return (form % statistics.median(values)) + " (" + (form % min(values)) + "–" + (form % max(values)) + ")"
for label, runs in (("on, every cache, default rate (`LAYERED_CACHE_DEFAULT_AUDIT_ENABLED=true`)", on), ("off", off)):
    print(f"| {label} | {spread([r[0] for r in runs], '%.0f')} | {spread([r[1] for r in runs], '%.2f')} |"
          f" {spread([r[2] for r in runs], '%.2f')} |")
ratios = [a[0] / b[0] for a, b in zip(on, off)]
print()
print(f"Throughput on / off, per round: {', '.join('%.3f' % r for r in ratios)}; median **{statistics.median(ratios):.3f}×**"
      f" (goal ≥ 0.97×: {'met' if statistics.median(ratios) >= 0.97 else 'not met'}).")
print()
last = audits(f"audit-on-{rounds}")
print("What the auditor did in the last round's run (its node, from start to the end of the measurement): "
      + "; ".join(f"`{a['cache']}` {a['checks']} checks, {a['disagreements']} disagreements, {a['superseded']}"
                  f" superseded, {a['failed']} failed" for a in last) + ".")
PY
} > "$RESULTS/audit.md"
cat "$RESULTS/audit.md"
src/bench/report.sh audit "$RESULTS/audit.md"
