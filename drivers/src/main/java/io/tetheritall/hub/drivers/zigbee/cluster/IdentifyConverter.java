package io.tetheritall.hub.drivers.zigbee.cluster;

import io.tetheritall.hub.drivers.capability.Capability;
import io.tetheritall.hub.drivers.capability.NumericCapability;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.AttributeValue;

import java.util.List;
import java.util.Map;

/** Identify (0x0003): {@code identify} = seconds to blink (set only; 0 stops). */
public final class IdentifyConverter extends AbstractConverter {
    public static final int CLUSTER = 0x0003;
    public static final int CMD_IDENTIFY = 0x00;

    public IdentifyConverter() {
        super(CLUSTER, "identify");
    }

    @Override
    public List<Capability> capabilities(ConverterContext ctx) {
        return List.of(NumericCapability.of("identify", "s", ctx.endpoint(), "s", 0d, 65535d, true));
    }

    @Override
    public Map<String, Object> fromAttributes(List<AttributeValue> attributes, ConverterContext ctx) {
        return Map.of();
    }

    @Override
    public List<ZclRequest> toZcl(String capability, Object value, Map<String, Object> all, ConverterContext ctx) {
        if (!capability.equals("identify")) {
            return super.toZcl(capability, value, all, ctx);
        }
        int seconds = ((Number) value).intValue();
        return List.of(command(CMD_IDENTIFY, w().u16(seconds).toByteArray(), Map.of(), "identify"));
    }
}
