#!/usr/bin/env bash
# Zigbee2MQTT 2.x (npm `zigbee2mqtt`, adapter `zstack`) against our Z-Stack 3.x.0 coordinator
# simulator, through a socat pty pair and a real mosquitto. It shows that Zigbee2MQTT starts on the
# simulated coordinator, sees a simulated colour bulb join, interviews it and recognises its model,
# and switches it from MQTT; the bulb's state is then read back from the simulator's own console.
#
#   bench/peers/zigbee2mqtt/run.sh            run once, print PASS/FAIL and timings
#   KEEP=1 bench/peers/zigbee2mqtt/run.sh     keep the scratch folder (logs) afterwards
#
# Environment:
#   Z2M_HOME     where zigbee2mqtt is installed from npm (default /tmp/tetheritall-z2m; it must not be
#                inside a git checkout: Zigbee2MQTT compares `git rev-parse HEAD` in its working
#                directory with its dist/.hash and tries to rebuild itself when they differ)
#   Z2M_VERSION  npm version spec (default 2)
#   Z2M_NO_INSTALL=1  fail instead of installing when Z2M_HOME has no zigbee2mqtt (no network)
#   Z2M_LOG_LEVEL  Zigbee2MQTT's log level (default info; debug shows every ZNP frame)
#   SIM_DEVICES  simulated devices (default 1: the first is a colour bulb, TRADFRI CWS opal 600lm); with
#                more, every one must also be interviewed and recognised (8 covers the whole catalogue)
#   SIM_CP       class path for the simulator (default: built here with maven if missing or stale)
#
# Needs: node >= 20 and npm (npm registry reachable for the first install only), java 17, maven
# (first build only), socat, mosquitto + mosquitto-clients. Everything listens on 127.0.0.1 only.
# Exit status: 0 on PASS, 1 on FAIL, 2 when a prerequisite is missing.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
Z2M_HOME=${Z2M_HOME:-/tmp/tetheritall-z2m}
Z2M_VERSION=${Z2M_VERSION:-2}
SIM_DEVICES=${SIM_DEVICES:-1}
T0=$(date +%s%N)

ms() { echo $(( ($(date +%s%N) - T0) / 1000000 )); }
log() { printf '[z2m-peer %6d ms] %s\n' "$(ms)" "$*"; }
declare -A MARK
# mark KEY TEXT: records when step KEY was reached and logs TEXT.
mark() { MARK[$1]=$(ms); shift; log "$*"; }

WORK=""
PIDS=()
cleanup() {
  local rc=$?
  # Newest first, each given up to 5 s to stop: Zigbee2MQTT goes before mosquitto and the simulator,
  # so that it can publish bridge/state offline and close the serial port.
  for ((i=${#PIDS[@]}-1; i>=0; i--)); do
    local p=${PIDS[$i]}
    kill "$p" 2>/dev/null || continue
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null
  done
  exec 3>&- 2>/dev/null
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then
    if [ "${KEEP:-0}" = 1 ] || [ $rc -ne 0 ]; then
      log "logs kept in $WORK"
    else
      rm -rf "$WORK"
    fi
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
  log "FAIL: $*"
  if [ -n "$WORK" ]; then
    for f in z2m.log sim.log mqtt.log; do
      [ -f "$WORK/$f" ] && { echo "----- last lines of $f"; tail -n 40 "$WORK/$f" | cut -c1-300; }
    done
  fi
  echo "FAIL zigbee2mqtt-peer"
  echo "0 passed, 1 failed"
  exit 1
}
missing() { log "SKIP: $*"; exit 2; }

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 100 ms until it succeeds.
wait_for() {
  local secs=$1 what=$2; shift 2
  local end=$(( $(date +%s) + secs ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -ge "$end" ] && fail "timed out after ${secs}s waiting for $what"
    sleep 0.1
  done
}

for tool in node npm java socat mosquitto mosquitto_sub mosquitto_pub ss; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || missing "$tool not found"
done
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)

# ---------------------------------------------------------------- 1. Zigbee2MQTT from npm
Z2M_DIR="$Z2M_HOME/node_modules/zigbee2mqtt"
if [ ! -f "$Z2M_DIR/index.js" ]; then
  [ "${Z2M_NO_INSTALL:-0}" = 1 ] && missing "no zigbee2mqtt in $Z2M_HOME and Z2M_NO_INSTALL=1"
  if git -C "$(dirname "$Z2M_HOME")" rev-parse --git-dir >/dev/null 2>&1; then
    missing "Z2M_HOME=$Z2M_HOME is inside a git checkout; choose a folder outside one"
  fi
  mkdir -p "$Z2M_HOME"
  [ -f "$Z2M_HOME/package.json" ] || echo '{"private":true}' >"$Z2M_HOME/package.json"
  log "installing zigbee2mqtt@$Z2M_VERSION into $Z2M_HOME"
  # Install scripts are not needed: @serialport/bindings-cpp ships prebuilt binaries for linux
  # x64/arm/arm64 (glibc and musl) that node-gyp-build picks at run time, and zigbee2mqtt ships dist/.
  (cd "$Z2M_HOME" && npm install --no-audit --no-fund --ignore-scripts "zigbee2mqtt@$Z2M_VERSION") \
    >"$Z2M_HOME/npm-install.log" 2>&1 || { tail -n 30 "$Z2M_HOME/npm-install.log"; missing "npm install of zigbee2mqtt failed (registry unreachable?)"; }
fi
Z2M_VER=$(node -p "require('$Z2M_DIR/package.json').version")
ZH_VER=$(node -p "require('$Z2M_HOME/node_modules/zigbee-herdsman/package.json').version" 2>/dev/null || echo '?')
# The native serial binding must load from its prebuild (no compiler or headers needed).
(cd "$Z2M_HOME" && node -e "require('node-gyp-build')(require('path').dirname(require.resolve('@serialport/bindings-cpp/package.json')))") \
  >/dev/null 2>&1 || fail "the @serialport/bindings-cpp native binding does not load (no prebuild for $(node -p 'process.platform+"-"+process.arch')?)"
mark install "zigbee2mqtt $Z2M_VER (zigbee-herdsman $ZH_VER) ready"

# ---------------------------------------------------------------- 2. simulator on a pty
if [ -n "${SIM_CP:-}" ]; then
  CP=$SIM_CP # given by the caller (the JUnit wrapper passes its own class path): no build here
else
  LIB="$ROOT/bench/target/lib"
  MAIN_CLASS="$ROOT/radios/target/classes/io/tetheritall/hub/radios/znp/sim/ZnpSimulatorMain.class"
  if [ ! -f "$MAIN_CLASS" ] || [ ! -d "$LIB" ] \
     || [ -n "$(find "$ROOT/radios/src/main" -name '*.java' -newer "$MAIN_CLASS" -print -quit)" ]; then
    command -v mvn >/dev/null || missing "mvn not found (needed to build the simulator)"
    log "building the simulator (mvn -DskipTests package)"
    (cd "$ROOT" && mvn -B -q -ntp -DskipTests package) >/tmp/tetheritall-z2m-mvn.log 2>&1 \
      || { tail -n 30 /tmp/tetheritall-z2m-mvn.log; fail "maven build"; }
  fi
  # radios/target/classes first so that a fresher compile wins over the jar copied into bench/target/lib
  CP="$ROOT/radios/target/classes:$LIB/*"
fi

WORK=$(mktemp -d /tmp/tetheritall-z2m-run.XXXXXX)
DATA="$WORK/data"
mkdir -p "$DATA"
# A pair of connected ptys; "rawer" also clears IEXTEN and echo on both ends (see SocatPty).
socat -d -d "pty,rawer,link=$WORK/sim" "pty,rawer,link=$WORK/z2m" 2>"$WORK/socat.log" &
PIDS+=($!)
wait_for 5 "socat ptys" test -e "$WORK/sim" -a -e "$WORK/z2m"

# The console reads stdin: a fifo held open read-write by this shell (fd 3) stays open until cleanup.
mkfifo "$WORK/console"
exec 3<>"$WORK/console"
java -cp "$CP" io.tetheritall.hub.radios.znp.sim.ZnpSimulatorMain \
  --tty "$WORK/sim" --devices "$SIM_DEVICES" --seed 1 --nv-file "$WORK/sim-nv.txt" <&3 >"$WORK/sim.log" 2>&1 &
PIDS+=($!)
wait_for 20 "the simulator to come up" grep -q "znp-sim up on" "$WORK/sim.log"
mark sim "simulator up on $WORK/sim"

# ---------------------------------------------------------------- 3. mosquitto
PORT=""
for _ in $(seq 1 20); do
  p=$(( 20000 + RANDOM % 40000 ))
  ss -ltnH "sport = :$p" 2>/dev/null | grep -q . || { PORT=$p; break; }
done
[ -n "$PORT" ] || fail "no free port"
cat >"$WORK/mosquitto.conf" <<EOF
listener $PORT 127.0.0.1
allow_anonymous true
persistence false
set_tcp_nodelay true
EOF
"$MOSQUITTO" -c "$WORK/mosquitto.conf" >"$WORK/mosquitto.log" 2>&1 &
PIDS+=($!)
wait_for 10 "mosquitto on 127.0.0.1:$PORT" bash -c "ss -ltnH 'sport = :$PORT' | grep -q ."
# Everything under the base topic, one line per message: "topic payload".
mosquitto_sub -h 127.0.0.1 -p "$PORT" -v -t 'zigbee2mqtt/#' >"$WORK/mqtt.log" 2>&1 &
PIDS+=($!)
mark mqtt "mosquitto on 127.0.0.1:$PORT"

# ---------------------------------------------------------------- 4. Zigbee2MQTT
CONF_VERSION=$(awk '/^version:/ {print $2; exit}' "$Z2M_DIR/data/configuration.example.yaml")
cat >"$DATA/configuration.yaml" <<EOF
version: ${CONF_VERSION:-4}
homeassistant:
  enabled: false
frontend:
  enabled: false
mqtt:
  base_topic: zigbee2mqtt
  server: mqtt://127.0.0.1:$PORT
serial:
  port: $WORK/z2m
  adapter: zstack
  rtscts: false
availability:
  enabled: false
ota:
  disable_automatic_update_check: true
advanced:
  log_level: ${Z2M_LOG_LEVEL:-info}
  log_output:
    - console
  network_key: GENERATE
  pan_id: GENERATE
  ext_pan_id: GENERATE
EOF
# Run from the scratch folder: Zigbee2MQTT runs `git rev-parse` in its working directory (see top).
(cd "$WORK" && exec env Z2M_ONBOARD_NO_SERVER=1 ZIGBEE2MQTT_DATA="$DATA" node "$Z2M_DIR/index.js") \
  >"$WORK/z2m.log" 2>&1 &
PIDS+=($!)
Z2M_PID=$!

# mqtt_has TOPIC [SUBSTRING...]: a message on TOPIC whose payload contains every SUBSTRING (key order
# in Zigbee2MQTT's JSON is not relied on).
mqtt_has() {
  local topic=$1; shift
  local lines
  lines=$(grep -F -- "$topic {" "$WORK/mqtt.log" | grep -- "^$topic {") || return 1
  for s in "$@"; do lines=$(grep -F -- "$s" <<<"$lines") || return 1; done
}
wait_for 60 "zigbee2mqtt/bridge/state online" mqtt_has zigbee2mqtt/bridge/state '"state":"online"'
kill -0 "$Z2M_PID" 2>/dev/null || fail "zigbee2mqtt exited"
mark online "Zigbee2MQTT online (bridge/state)"

# ---------------------------------------------------------------- 5. join, interview, switch
pub() { mosquitto_pub -h 127.0.0.1 -p "$PORT" -t "$1" -m "$2"; }
# 2.x payload: {"time": seconds} (0 closes; an optional "device" restricts joining to one router).
# bridge/state goes online before Zigbee2MQTT subscribes to its base topic and starts its extensions;
# the Bridge extension publishes bridge/info once it handles bridge/request/#. Still, repeat the
# request every 2 s until answered.
wait_for 20 "zigbee2mqtt/bridge/info" mqtt_has zigbee2mqtt/bridge/info '"version":"'
pub zigbee2mqtt/bridge/request/permit_join '{"time":60}'
permit_answered() {
  local i
  for i in $(seq 1 20); do
    mqtt_has zigbee2mqtt/bridge/response/permit_join '"status":"ok"' '"time":60' && return 0
    sleep 0.1
  done
  pub zigbee2mqtt/bridge/request/permit_join '{"time":60}'
  return 1
}
wait_for 20 "permit_join response" permit_answered
mark permit "permit_join accepted"

HERE=$(cd "$(dirname "$0")" && pwd)
events() { node "$HERE/events.js" "$WORK/mqtt.log"; }
# events_has AWK-CONDITION: a device line ("ieee state supported model...") matching it.
events_has() { events | awk "$1 {found=1} END {exit !found}"; }
wait_for 30 "device_joined" events_has 'NF'
IEEE=$(events | head -n1 | cut -d' ' -f1)
mark joined "device_joined $IEEE (first)"

# The bulb is the device that Zigbee2MQTT identifies as LED1624G9 (TRADFRI bulb E27 CWS opal 600lm).
wait_for 60 "an interview to identify LED1624G9" events_has '$2 == "successful" && $3 == "true" && $4 == "LED1624G9"'
IEEE=$(events | awk '$2 == "successful" && $4 == "LED1624G9" {print $1; exit}')
MODEL=LED1624G9
mark interviewed "interview successful: $IEEE is $MODEL, supported"

if [ "$SIM_DEVICES" -gt 1 ]; then
  # Every simulated device, sleepy ones through their polls: all interviewed and supported.
  all_done() { [ "$(events | awk '$2 == "successful" || $2 == "failed"' | wc -l)" -ge "$SIM_DEVICES" ]; }
  wait_for 150 "$SIM_DEVICES interviews to end" all_done
  events | while read -r e; do log "  device $e"; done
  bad=$(events | awk '$2 != "successful" || $3 != "true"' | wc -l)
  [ "$bad" = 0 ] || fail "$bad of $SIM_DEVICES devices not interviewed or not supported"
  mark all "all $SIM_DEVICES devices interviewed and supported"
  # Zigbee2MQTT configures each device (binds, reporting) after its interview; a sleepy one answers at
  # its polls, so this takes a while. Wait until every configuration started has ended, then report
  # each outcome (a failure is reported, not fatal: it is Zigbee2MQTT's view of a simulated device).
  plain_log() { sed 's/\x1b\[[0-9;]*m//g' "$WORK/z2m.log"; }
  configs_ended() {
    local started ended
    started=$(plain_log | grep -ac "z2m: Configuring '")
    ended=$(plain_log | grep -acE "z2m: (Successfully configured|Failed to configure) '")
    [ "$ended" -ge "$started" ]
  }
  wait_for 180 "every device configuration to end" configs_ended
  plain_log | grep -aE "z2m: (Successfully configured|Failed to configure) '" | while read -r l; do
    case $l in
      *Failed*) log "  WARN ${l#*z2m: }" ;;
      *) log "  ${l#*z2m: }" ;;
    esac
  done
  mark configured "$(plain_log | grep -ac 'z2m: Successfully configured') configured, $(plain_log | grep -ac 'z2m: Failed to configure') failed to configure"
fi

# Zigbee2MQTT configures the bulb (bind + reporting) right after the interview; commands sent
# meanwhile are fine, but wait for the state topic to exist so the check below sees a new message.
LINES_BEFORE=$(wc -l <"$WORK/mqtt.log")
mark set "publishing zigbee2mqtt/$IEEE/set {\"state\":\"ON\",\"brightness\":200}"
pub "zigbee2mqtt/$IEEE/set" '{"state":"ON","brightness":200}'
published_on() {
  tail -n +"$((LINES_BEFORE + 1))" "$WORK/mqtt.log" | grep "^zigbee2mqtt/$IEEE {" | grep '"state":"ON"' | grep -q '"brightness":200'
}
wait_for 15 "zigbee2mqtt/$IEEE with state ON, brightness 200" published_on
mark published "Zigbee2MQTT published state ON brightness 200"

HEX=${IEEE#0x}
sim_says_on() {
  echo devices >&3
  sleep 0.2
  grep "^$HEX " "$WORK/sim.log" | tail -n1 | grep -q ' joined on level=200$'
}
wait_for 10 "the simulator's bulb on at level 200" sim_says_on
SIMLINE=$(grep "^$HEX " "$WORK/sim.log" | tail -n1)
mark simstate "simulator console: $SIMLINE"

# The state published after /set is optimistic; a /get makes Zigbee2MQTT read the attributes back
# from the bulb (ZCL Read Attributes through the simulator) and publish what the device answered.
# Let the bulb's attribute reports (configured by Zigbee2MQTT after the interview) settle first, so
# that the message checked below is the answer to the read.
quiet_since=$(wc -l <"$WORK/mqtt.log")
for _ in $(seq 1 30); do
  sleep 0.5
  now=$(wc -l <"$WORK/mqtt.log")
  [ "$now" = "$quiet_since" ] && break
  quiet_since=$now
done
LINES_BEFORE=$(wc -l <"$WORK/mqtt.log")
pub "zigbee2mqtt/$IEEE/get" '{"state":"","brightness":""}'
wait_for 15 "zigbee2mqtt/$IEEE with the state read back" published_on
mark readback "Zigbee2MQTT read back state ON brightness 200 from the bulb"

# ---------------------------------------------------------------- 6. result
FW=$(grep -m1 -o 'Coordinator firmware version: .*' "$WORK/z2m.log" || true)
[ -n "$FW" ] && log "zigbee2mqtt saw: $FW"
# (its console log is coloured: strip the escapes before counting levels)
log "zigbee2mqtt log: $(wc -l <"$WORK/z2m.log") lines, $(sed 's/\x1b\[[0-9;]*m//g' "$WORK/z2m.log" | grep -c '^\[[^]]*\] error:' || true) at level error"
d() { echo $(( ${MARK[$2]} - ${MARK[$1]} )); }
log "timings (ms): start-to-online $(d mqtt online), online-to-joined $(d online joined)," \
  "joined-to-interviewed $(d joined interviewed), set-to-published $(d set published), set-to-bulb-on <= $(d set simstate)," \
  "total $(ms)"
echo "PASS zigbee2mqtt-peer: Zigbee2MQTT $Z2M_VER (zigbee-herdsman $ZH_VER) formed on the ZNP simulator," \
  "interviewed $IEEE as $MODEL and switched it on at level 200 in $(ms) ms"
echo "1 passed, 0 failed"
exit 0
