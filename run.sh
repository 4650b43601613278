#!/usr/bin/env bash
# Builds the hub and starts it in the foreground. With no radio configured (ZIGBEE_PORT unset) it
# runs with --simulate: a simulated Z-Stack coordinator with simulated devices on a socat pty pair,
# reached through the same jssc serial code as a real dongle.
#   ./run.sh                     simulate (default without ZIGBEE_PORT)
#   ZIGBEE_PORT=/dev/ttyUSB0 ./run.sh
#   ./run.sh check-config        any launcher subcommand
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure-deps.sh
if [ ! -f daemon/target/.built ] || [ -n "$(find . -path ./daemon/target -prune -o -name '*.java' -newer daemon/target/.built -print -quit 2>/dev/null)" ]; then
  mvn -B -q -ntp -DskipTests package
  touch daemon/target/.built
fi
export HUB_PROFILE="${HUB_PROFILE:-development}"
if [ $# -eq 0 ]; then
  if [ -z "${ZIGBEE_PORT:-}" ]; then set -- run --simulate; else set -- run; fi
fi
exec bin/tetheritall-hub "$@"
