// Summarises Zigbee2MQTT's bridge/event messages in a `mosquitto_sub -v` log, one line per device
// in join order: "IEEE joined|started|successful|failed SUPPORTED MODEL" (SUPPORTED and MODEL are
// "-" until the interview succeeded; MODEL is last because it may contain spaces, e.g. "SP 120"). Used by run.sh; JSON is parsed here because the interview
// payload nests (definition.exposes...) and its key order is not something to rely on.
"use strict";
const fs = require("node:fs");
const devices = new Map();
for (const line of fs.readFileSync(process.argv[2], "utf8").split("\n")) {
    if (!line.startsWith("zigbee2mqtt/bridge/event ")) continue;
    let ev;
    try {
        ev = JSON.parse(line.slice(line.indexOf(" ") + 1));
    } catch {
        continue; // a payload cut by the log being read while written
    }
    const d = ev.data || {};
    if (!d.ieee_address) continue;
    const cur = devices.get(d.ieee_address) || {state: "joined", model: "-", supported: "-"};
    if (ev.type === "device_interview") {
        cur.state = d.status;
        if (d.status === "successful") {
            cur.model = (d.definition && d.definition.model) || "-";
            cur.supported = String(d.supported);
        }
    }
    devices.set(d.ieee_address, cur);
}
for (const [ieee, d] of devices) console.log(`${ieee} ${d.state} ${d.supported} ${d.model}`);
