package io.tetheritall.hub.drivers.zigbee.cluster;

import io.tetheritall.hub.drivers.capability.Capability;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.AttributeValue;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.ReportingRecord;

import java.util.List;
import java.util.Map;

/**
 * Maps one ZCL cluster to capabilities, in both directions. One implementation per cluster,
 * stateless and thread-safe; what it needs to know about a device comes through the
 * {@link ConverterContext}.
 *
 * <p>Values going to a converter's {@link #toZcl} have already been validated against the
 * capability; values coming from {@link #fromAttributes} use the Zigbee2MQTT conventions (state
 * "ON"/"OFF", brightness 0-254, color_temp in mireds, temperature °C, ...).
 */
public interface ClusterConverter {

    int clusterId();

    /** A short name for logs, e.g. {@code onOff}. */
    String name();

    /**
     * The capabilities this cluster gives on {@code ctx.endpoint()}; may depend on options and on
     * attributes read during the interview (e.g. the IAS zone type, colour capabilities).
     */
    List<Capability> capabilities(ConverterContext ctx);

    /** Attributes the interview reads so that conversions and capabilities can use them. */
    default List<Integer> interviewAttributes() {
        return List.of();
    }

    /** Reporting this cluster asks for when a definition does not say otherwise. */
    default List<ReportingRecord> defaultReporting() {
        return List.of();
    }

    /**
     * State updates from attribute values (a report or a read response). Attributes it does not
     * know are ignored; attributes of an unexpected type are dropped through {@link ConverterContext#drop}.
     */
    Map<String, Object> fromAttributes(List<AttributeValue> attributes, ConverterContext ctx);

    /** State updates from a cluster-specific command the device sent (e.g. an IAS zone notification). */
    default Map<String, Object> fromCommand(int commandId, byte[] payload, ConverterContext ctx) {
        return Map.of();
    }

    /**
     * ZCL requests that set {@code capability} to {@code value}.
     *
     * @param all every value of the same set call (validated), e.g. to read {@code transition}
     *            or to fold {@code state} into a level-with-on/off command
     * @return the requests; empty if another capability of the same call covers this one
     * @throws UnsupportedOperationException if the capability cannot be set through this cluster
     */
    default List<ZclRequest> toZcl(String capability, Object value, Map<String, Object> all, ConverterContext ctx) {
        throw new UnsupportedOperationException(name() + " cannot set " + capability);
    }

    /** Attributes to read to get {@code capability} now; empty if it cannot be read. */
    default List<Integer> readAttributes(String capability) {
        return List.of();
    }
}
