#!/usr/bin/env bash
# Installs, from Debian's packages, what building, running or testing the hub needs and is missing.
#   scripts/ensure-deps.sh          build + run: JDK 17+, Maven, socat (simulate mode's pty pair)
#   scripts/ensure-deps.sh --test   also what the tests talk to: mosquitto, libcoap's client
set -euo pipefail
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

need=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
java_ok() {
  have java || return 1
  local v
  v=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  [ "${v%%.*}" -ge 17 ] 2>/dev/null
}
java_ok || need+=(openjdk-17-jdk-headless)
have javac || need+=(openjdk-17-jdk-headless)
have mvn || need+=(maven)
have socat || need+=(socat)
if [ $want_test = 1 ]; then
  have mosquitto || need+=(mosquitto)
  have coap-client-notls || need+=(libcoap3-bin)
fi
[ ${#need[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${need[@]}" | sort -u)
# Debian's mosquitto package starts a broker on 1883; the tests start their own on free ports.
