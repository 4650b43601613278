package io.tetheritall.hub.drivers.zigbee.cluster;

import io.tetheritall.hub.drivers.capability.Capability;
import io.tetheritall.hub.drivers.capability.NumericCapability;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclDataType;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.AttributeValue;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.ReportingRecord;

import java.util.List;
import java.util.Map;

/**
 * Level Control (0x0008): {@code brightness} 0..254. Setting it sends "move to level with on/off"
 * (0x04: level u8, transition time u16 in tenths of a second) so that brightness 0 turns the light
 * off and any other level turns it on, as ZCL 3.10.2.4.1 describes for the "with On/Off" variant.
 */
public final class LevelControlConverter extends AbstractConverter {
    public static final int CLUSTER = 0x0008;
    public static final int CURRENT_LEVEL = 0x0000;
    public static final int CMD_MOVE_TO_LEVEL = 0x00;
    public static final int CMD_MOVE_TO_LEVEL_WITH_ON_OFF = 0x04;

    public LevelControlConverter() {
        super(CLUSTER, "levelControl");
    }

    @Override
    public List<Capability> capabilities(ConverterContext ctx) {
        return List.of(NumericCapability.of("brightness", "rsg", ctx.endpoint(), null, 0d, 254d, true));
    }

    @Override
    public List<Integer> interviewAttributes() {
        return ids(CURRENT_LEVEL);
    }

    @Override
    public List<ReportingRecord> defaultReporting() {
        return List.of(report(CURRENT_LEVEL, ZclDataType.UINT8, 1, 3600, 1));
    }

    @Override
    public Map<String, Object> fromAttributes(List<AttributeValue> attributes, ConverterContext ctx) {
        Map<String, Object> out = map();
        for (AttributeValue av : attributes) {
            if (av.attributeId() == CURRENT_LEVEL) {
                Long v = integer(av, ctx);
                if (v != null) {
                    out.put("brightness", v);
                }
            }
        }
        return out;
    }

    @Override
    public List<ZclRequest> toZcl(String capability, Object value, Map<String, Object> all, ConverterContext ctx) {
        if (!capability.equals("brightness")) {
            return super.toZcl(capability, value, all, ctx);
        }
        if ("OFF".equals(all.get("state"))) {
            return List.of(); // turning off wins; the On/Off converter sends it
        }
        int level = ((Number) value).intValue();
        Map<String, Object> expect = map();
        expect.put("brightness", (long) level);
        expect.put("state", level > 0 ? "ON" : "OFF");
        return List.of(command(CMD_MOVE_TO_LEVEL_WITH_ON_OFF, w().u8(level).u16(transitionTenths(all)).toByteArray(),
                expect, "brightness"));
    }

    @Override
    public List<Integer> readAttributes(String capability) {
        return capability.equals("brightness") ? ids(CURRENT_LEVEL) : List.of();
    }
}
