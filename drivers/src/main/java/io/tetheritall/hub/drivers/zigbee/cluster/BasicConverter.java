package io.tetheritall.hub.drivers.zigbee.cluster;

import io.tetheritall.hub.drivers.capability.Capability;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.AttributeValue;

import java.util.List;
import java.util.Map;

/**
 * Basic (0x0000). It exposes no capability; the interview reads its identity attributes and the
 * device definition is chosen from them. {@link #identity} turns them into plain values.
 */
public final class BasicConverter extends AbstractConverter {
    public static final int CLUSTER = 0x0000;
    public static final int ZCL_VERSION = 0x0000;
    public static final int APP_VERSION = 0x0001;
    public static final int MANUFACTURER_NAME = 0x0004;
    public static final int MODEL_IDENTIFIER = 0x0005;
    public static final int DATE_CODE = 0x0006;
    /** enum8: 0x01 mains single phase, 0x03 battery, 0x04 DC; bit 7 = secondary source battery. */
    public static final int POWER_SOURCE = 0x0007;
    public static final int SW_BUILD_ID = 0x4000;

    public BasicConverter() {
        super(CLUSTER, "basic");
    }

    @Override
    public List<Capability> capabilities(ConverterContext ctx) {
        return List.of();
    }

    @Override
    public Map<String, Object> fromAttributes(List<AttributeValue> attributes, ConverterContext ctx) {
        return Map.of();
    }

    /**
     * Identity values from Basic attributes: {@code manufacturer}, {@code model}, {@code powerSource}
     * ("Mains"/"Battery"/"DC"), {@code swBuildId}, {@code dateCode}. Attributes of a wrong type are
     * dropped through the context.
     */
    public Map<String, Object> identity(List<AttributeValue> attributes, ConverterContext ctx) {
        Map<String, Object> out = map();
        for (AttributeValue av : attributes) {
            Object v = av.value().value();
            switch (av.attributeId()) {
                case MANUFACTURER_NAME, MODEL_IDENTIFIER, SW_BUILD_ID, DATE_CODE -> {
                    if (v instanceof String s) {
                        // Some devices pad with NULs (Xiaomi): strip them.
                        String clean = s.replace("\u0000", "").trim();
                        out.put(switch (av.attributeId()) {
                            case MANUFACTURER_NAME -> "manufacturer";
                            case MODEL_IDENTIFIER -> "model";
                            case SW_BUILD_ID -> "swBuildId";
                            default -> "dateCode";
                        }, clean);
                    } else if (v != null) {
                        ctx.drop("wrong_type", String.format("basic attribute 0x%04x: expected a string, got %s",
                                av.attributeId(), av.value()));
                    }
                }
                case POWER_SOURCE -> {
                    Long l = integer(av, ctx);
                    if (l != null) {
                        int src = (int) (l & 0x7F);
                        out.put("powerSource", src == 0x03 ? "Battery" : src == 0x04 ? "DC" : src == 0 ? "Unknown"
                                : "Mains");
                    }
                }
                default -> {
                }
            }
        }
        return out;
    }
}
