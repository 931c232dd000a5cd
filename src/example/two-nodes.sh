#!/usr/bin/env bash
# Runs the example service on two Payara Micro nodes that form one Hazelcast cluster (TCP/IP discovery on
# 127.0.0.1, a cluster name of this run's own, no multicast, no phone-home) and share one PostgreSQL database
# (127.0.0.1:5432, database test, schema layered_cache_example). Node 1 answers on http://127.0.0.1:8080, node 2 on
# http://127.0.0.1:8081. Ctrl-C stops both (by their PIDs).
# Usage: src/example/two-nodes.sh          (PORT1=8080 PORT2=8081 to change)
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../scripts/payara-micro.sh
source src/scripts/payara-micro.sh

PORT1=${PORT1:-8080}
PORT2=${PORT2:-8081}
SCHEMA=layered_cache_example
CLUSTER="layered-cache-example-$(date +%s)-$$"
LOGS=target/two-nodes
# The caches' admin resource, for user admin with a password of this run's own (printed below).
ADMIN_SECRET=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
mkdir -p "$LOGS"

pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL is not running on 127.0.0.1:5432" >&2; exit 1; }
psql -h 127.0.0.1 -U postgres -d test -qc "create schema if not exists $SCHEMA"
mvn -B -q package -Dmaven.test.skip=true

PIDS=()
stop() {
    for pid in "${PIDS[@]}"; do
        payara_micro_stop "$pid"
    done
}
trap stop EXIT INT TERM

start_node() {
    local name=$1 port=$2
    EXAMPLE_ADMIN_USERS="admin:$ADMIN_SECRET:layered-cache-admin" \
    EXAMPLE_DATASOURCE_CLASS=org.postgresql.ds.PGSimpleDataSource \
    EXAMPLE_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$SCHEMA" \
    EXAMPLE_DATASOURCE_USER=postgres EXAMPLE_DATASOURCE_PASSWORD=unused \
        payara_micro_start "$LOGS/$name.log" src/example/target/layered-cache-example.war "$port" "$name" "$CLUSTER"
    PIDS+=("$PAYARA_PID")
    payara_micro_await "$PAYARA_PID" "$LOGS/$name.log" "http://127.0.0.1:$port/services/1"
    echo "$name: http://127.0.0.1:$port/ (log: $LOGS/$name.log)"
}

start_node node1 "$PORT1"      # first alone: it seeds an empty database
start_node node2 "$PORT2"
echo "Two nodes in cluster $CLUSTER. Try:"
echo "  curl http://127.0.0.1:$PORT1/services/1"
echo "  curl -X PUT -H 'Content-Type: application/json' -d '{\"name\":\"Renamed\"}' http://127.0.0.1:$PORT2/services/1"
echo "  curl http://127.0.0.1:$PORT1/services/1        # node 1 already shows the new name"
echo "  curl -u admin:$ADMIN_SECRET http://127.0.0.1:$PORT1/layered-cache/caches   # where each node's reads were answered"
echo "Ctrl-C stops both nodes."
wait
