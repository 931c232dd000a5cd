#!/usr/bin/env bash
# Makes sure the dashboard test finds Debian's headless Chromium and its driver (/usr/bin/chromium,
# /usr/bin/chromedriver): `mvn -B verify` calls this before the in-container tests of the example. Installs the
# packages chromium and chromium-driver when they are missing and this runs as root; otherwise says what to run.
# It does not start the browser: the test does (HeadlessChromium), with --host-resolver-rules resolving nothing but
# 127.0.0.1.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "The dashboard test needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)." >&2
    echo "Install them once as root: apt-get install -y chromium chromium-driver" >&2
    exit 1
fi
echo "Installing chromium and chromium-driver for the dashboard test (Debian's packages, about 120 MB)"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; }
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]
