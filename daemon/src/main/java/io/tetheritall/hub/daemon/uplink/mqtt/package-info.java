/**
 * The MQTT uplink: Zigbee2MQTT-compatible topics over hivemq-mqtt-client (MQTT 5, falling back to
 * 3.1.1), Home Assistant discovery, and store-and-forward through an {@link io.tetheritall.hub.daemon.uplink.mqtt.Outbox}.
 *
 * <pre>
 *  broker ⇄ HiveTransports (V5 | V3, auto-reconnect with capped backoff + jitter, LWT bridge/state=offline)
 *             │ inbound (client threads)              ▲ publish
 *             ▼                                       │
 *          MqttUplink.onMessage ── HubApi.set/get/…   MqttUplink.emitNow  (one thread: "mqtt-uplink")
 *             │ parse, size, per-client limit          ├─ connected, outbox empty, token → publish
 *             └─ answer: bridge/response/… or MQTT 5   └─ else Outbox.append (newest state supersedes)
 *                response topic + correlation data         → drain in order, ack after PUBACK
 * </pre>
 *
 * Public entry points: {@link io.tetheritall.hub.daemon.uplink.mqtt.MqttUplink},
 * {@link io.tetheritall.hub.daemon.uplink.mqtt.MqttSettings}, {@link io.tetheritall.hub.daemon.uplink.mqtt.Outbox}
 * (adapt the store's durable outbox to it) and {@link io.tetheritall.hub.daemon.uplink.mqtt.InMemoryOutbox}.
 */
package io.tetheritall.hub.daemon.uplink.mqtt;
