/**
 * The hub core's in-process API, the one surface the uplinks (MQTT, CoAP, health) call. It speaks
 * in devices, capabilities and JSON-like values; it knows nothing of MQTT, CoAP, ZCL or radios.
 * Values are plain Java: Boolean, Number, String, and Map/List for composites (e.g. color
 * {@code {"x":0.3,"y":0.3}}), so an uplink can serialise them to JSON or CBOR directly.
 */
package io.tetheritall.hub.daemon.core.api;
