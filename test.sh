#!/usr/bin/env bash
# The project's test command (README): installs what the tests need, builds every module and runs
# every test (unit tests, pty tests through socat, MQTT tests against a real mosquitto, CoAP tests
# with libcoap's client).
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure-deps.sh --test
exec mvn -B -ntp verify "$@"
