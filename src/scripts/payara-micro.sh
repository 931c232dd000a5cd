# Sourced by the scripts that run Payara Micro (the example, the two-node example, the benchmarks): the one place
# that writes its command line. Loopback only: HTTP on 127.0.0.1 (server-config/pre-boot-commands.txt),
# Hazelcast TCP/IP discovery on 127.0.0.1 with the given cluster name, no multicast, no phone-home.
# Run from the project's root directory, after `mvn package` has put src/example/target/payara-micro.jar in place.

# payara_micro_command WAR PORT NAME CLUSTER [MORE_ARGUMENTS...]
#   Sets the array PAYARA_MICRO_COMMAND to the command that runs WAR at context root / on PORT, as node NAME of
#   CLUSTER. JAVA_OPTIONS (default -Xmx1g) go to the JVM.
payara_micro_command() {
    local war=$1 port=$2 name=$3 cluster=$4
    shift 4
    # shellcheck disable=SC2206
    PAYARA_MICRO_COMMAND=(java ${JAVA_OPTIONS:--Xmx1g} -Dhazelcast.phone.home.enabled=false
        -Dhazelcast.socket.bind.any=false
        -jar src/example/target/payara-micro.jar --deploy "$war" --contextroot / --port "$port" --name "$name"
        --disablephonehome --prebootcommandfile server-config/pre-boot-commands.txt
        --clustername "$cluster" --clustermode tcpip:127.0.0.1:6900 --interfaces 127.0.0.1 "$@")
}

# payara_micro_start LOG WAR PORT NAME CLUSTER [MORE_ARGUMENTS...]
#   Starts Payara Micro in the background with the caller's environment, output to LOG; sets PAYARA_PID.
payara_micro_start() {
    local log=$1
    shift
    payara_micro_command "$@"
    "${PAYARA_MICRO_COMMAND[@]}" > "$log" 2>&1 &
    PAYARA_PID=$!
}

# payara_micro_await PID LOG URL
#   Waits until URL answers (or, with URL empty, until LOG says Payara Micro is ready), at most 180 s; fails if
#   the process ends first.
payara_micro_await() {
    local pid=$1 log=$2 url=$3
    for _ in $(seq 1 180); do
        if [ -n "$url" ]; then
            curl -sf -o /dev/null "$url" && return 0
        else
            grep -q "ready in" "$log" && return 0
        fi
        kill -0 "$pid" 2>/dev/null || { echo "Payara Micro stopped; see $log" >&2; return 1; }
        sleep 1
    done
    echo "Payara Micro did not answer within 180 s; see $log" >&2
    return 1
}

# payara_micro_stop PID
#   Stops the process by its PID: TERM, then KILL if it is still there after 30 s.
payara_micro_stop() {
    local pid=$1
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || return 0; sleep 1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
}
