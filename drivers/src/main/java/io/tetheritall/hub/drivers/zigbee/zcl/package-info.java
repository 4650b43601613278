/**
 * The ZCL frame codec: {@link io.tetheritall.hub.drivers.zigbee.zcl.ZclFrame} (header + payload),
 * {@link io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal} (the foundation commands) and the data
 * types ({@link io.tetheritall.hub.drivers.zigbee.zcl.ZclDataType}). It knows bytes and ZCL
 * semantics, nothing of devices or radios.
 *
 * <pre>
 *   APS payload ⇄ ZclFrame (ZclHeader + payload) ⇄ ZclGlobal.Command | cluster-specific (converters)
 * </pre>
 */
package io.tetheritall.hub.drivers.zigbee.zcl;
