/**
 * What the MQTT and CoAP uplinks share: JSON/CBOR value mapping ({@link io.tetheritall.hub.daemon.uplink.Values}),
 * friendly-name and topic checks ({@link io.tetheritall.hub.daemon.uplink.Names}) and per-client
 * token buckets on an injected clock ({@link io.tetheritall.hub.daemon.uplink.ClientLimiter}).
 *
 * <pre>
 *  MQTT broker ── uplink.mqtt.MqttUplink ─┐
 *                                          ├── core.api.HubApi ── drivers ── radios
 *  CoAP clients ─ uplink.coap.CoapUplink ─┘
 * </pre>
 */
package io.tetheritall.hub.daemon.uplink;
