/**
 * The capability model: typed, validated things a device exposes (binary, numeric with unit and
 * range, enum, text, composite), with access flags, in the spirit of Zigbee2MQTT's "exposes".
 * It knows nothing of Zigbee; the cluster converters map capabilities to ZCL.
 */
package io.tetheritall.hub.drivers.capability;
