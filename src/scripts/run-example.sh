#!/usr/bin/env bash
# Runs the example service (src/example/target/layered-cache-example.war) on Payara Micro in the foreground until Ctrl-C:
# what `mvn -B -Pexample package` calls once the WAR is built. EXAMPLE_PORT (default 8080) sets the HTTP port.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=payara-micro.sh
source src/scripts/payara-micro.sh

payara_micro_command src/example/target/layered-cache-example.war "${EXAMPLE_PORT:-8080}" example \
    "layered-cache-example-$(date +%s)-$$"
exec "${PAYARA_MICRO_COMMAND[@]}"
