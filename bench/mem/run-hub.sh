#!/bin/bash
# Starts `bin/tetheritall-hub-dev run --simulate` (8 simulated devices, MQTT to a private mosquitto, CoAP and HTTP
# on private ports, state under $OUT/state), waits until it is running with all 8 devices interviewed and has been
# up $SETTLE seconds, prints start-up times from its log and a memory snapshot (bench/mem/measure.sh), then stops it.
#   OUT=target/memrun LABEL=baseline HUB_JAVA_OPTS=... bench/mem/run-hub.sh
# Keeps $OUT/state between runs unless FRESH=1 (the second run restores the network and maps the CDS archive).
set -u
cd "$(dirname "$0")/../.."
OUT=${OUT:-target/memrun}; LABEL=${LABEL:-run}; SETTLE=${SETTLE:-60}; PORT=${MQTT_PORT:-18831}
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
[[ "${FRESH:-0}" == 1 ]] && rm -rf "$OUT/state"
mosq=""
if ! (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then
    mosquitto -p "$PORT" >"$OUT/mosquitto.log" 2>&1 & mosq=$!
    sleep 0.5
fi
export HUB_STATE_DIR=$OUT/state HUB_LOG_DIR=$OUT/log MQTT_URL=mqtt://127.0.0.1:$PORT \
    HTTP_BIND=127.0.0.1:${HTTP_PORT:-18091} COAP_BIND=127.0.0.1:${COAP_PORT:-15691} \
    HUB_JAVA_OPTS="-XX:NativeMemoryTracking=summary ${HUB_JAVA_OPTS:-}"
log=$OUT/$LABEL.out
t0=$(date +%s%3N)
${LAUNCHER:-bin/tetheritall-hub-dev} run --simulate >"$log" 2>&1 & pid=$!
ms_of() { # first log line matching $1 -> ms since launch
    local l; l=$(grep -m1 -E "$1" "$log" | cut -c1-23) || return
    [[ -n "$l" ]] && echo $(( $(date -d "$l" +%s%3N) - t0 ))
}
for _ in $(seq 1 180); do
    sleep 1
    kill -0 $pid 2>/dev/null || { echo "hub died"; tail -20 "$log"; break; }
    n=$(grep -c 'interview successful' "$log"); up=$(ps -o etimes= -p $pid | tr -d ' ')
    grep -q 'hub core up with 8 devices' "$log" && n=8  # a restart: the 8 devices are paired already
    grep -q 'tetheritall-hub running' "$log" && (( n >= 8 && up >= SETTLE )) && break
done
echo "== $LABEL: launch -> main $(ms_of 'starting: hub id') ms, -> network up $(ms_of 'network up') ms," \
    "-> store started $(ms_of 'store: started') ms, -> running $(ms_of 'tetheritall-hub running') ms;" \
    "$(grep -o -m1 'created in [0-9]* ms' "$log" | sed 's/^/L1 /'); $(grep -c 'interview successful' "$log") interviewed, $(grep -o -m1 'hub core up with [0-9]* devices' "$log")"
bench/mem/measure.sh $pid "$LABEL"
if [[ "${KEEP:-0}" == 1 ]]; then echo "left running: hub $pid, mosquitto ${mosq:-(not ours)}"; exit 0; fi
kill $pid; wait $pid 2>/dev/null
[[ -n "$mosq" ]] && kill $mosq
