package io.tetheritall.hub.drivers.zigbee.cluster;

import io.tetheritall.hub.drivers.capability.BinaryCapability;
import io.tetheritall.hub.drivers.capability.Capability;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclDataType;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.AttributeValue;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.ReportingRecord;

import java.util.List;
import java.util.Map;

/**
 * On/Off (0x0006): {@code state} ON/OFF/TOGGLE. With the option {@code contact=true} (Aqara door
 * sensors report their reed switch through On/Off) it exposes a read-only {@code contact} instead,
 * where onOff = 0 means closed (contact true).
 */
public final class OnOffConverter extends AbstractConverter {
    public static final int CLUSTER = 0x0006;
    public static final int ON_OFF = 0x0000;
    public static final int CMD_OFF = 0x00;
    public static final int CMD_ON = 0x01;
    public static final int CMD_TOGGLE = 0x02;

    public OnOffConverter() {
        super(CLUSTER, "onOff");
    }

    @Override
    public List<Capability> capabilities(ConverterContext ctx) {
        if (ctx.options().flag("contact")) {
            return List.of(BinaryCapability.bool("contact", "r", ctx.endpoint()));
        }
        return List.of(BinaryCapability.onOff("state", "rsg", ctx.endpoint()));
    }

    @Override
    public List<Integer> interviewAttributes() {
        return ids(ON_OFF);
    }

    @Override
    public List<ReportingRecord> defaultReporting() {
        return List.of(report(ON_OFF, ZclDataType.BOOLEAN, 0, 3600, null));
    }

    @Override
    public Map<String, Object> fromAttributes(List<AttributeValue> attributes, ConverterContext ctx) {
        Map<String, Object> out = map();
        for (AttributeValue av : attributes) {
            if (av.attributeId() == ON_OFF) {
                Boolean on = bool(av, ctx);
                if (on != null) {
                    if (ctx.options().flag("contact")) {
                        out.put("contact", !on);
                    } else {
                        out.put("state", on ? "ON" : "OFF");
                    }
                }
            }
        }
        return out;
    }

    @Override
    public List<ZclRequest> toZcl(String capability, Object value, Map<String, Object> all, ConverterContext ctx) {
        if (!capability.equals("state") || ctx.options().flag("contact")) {
            return super.toZcl(capability, value, all, ctx);
        }
        String v = (String) value;
        // "ON" together with a brightness is sent as one Level "move to level with on/off" (as Zigbee2MQTT does).
        if (v.equals("ON") && all.containsKey("brightness")) {
            return List.of();
        }
        return switch (v) {
            case "ON" -> List.of(command(CMD_ON, new byte[0], Map.of("state", "ON"), "state"));
            case "OFF" -> List.of(command(CMD_OFF, new byte[0], Map.of("state", "OFF"), "state"));
            default -> {
                Object cur = ctx.state().get("state");
                Map<String, Object> expect = "ON".equals(cur) ? Map.of("state", "OFF")
                        : "OFF".equals(cur) ? Map.of("state", "ON") : Map.of();
                yield List.of(command(CMD_TOGGLE, new byte[0], expect, "state"));
            }
        };
    }

    @Override
    public List<Integer> readAttributes(String capability) {
        return capability.equals("state") || capability.equals("contact") ? ids(ON_OFF) : List.of();
    }
}
