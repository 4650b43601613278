package io.tetheritall.hub.drivers.zigbee.cluster;

import io.tetheritall.hub.drivers.capability.BinaryCapability;
import io.tetheritall.hub.drivers.capability.Capability;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.AttributeValue;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * IAS Zone (0x0500). The zone status bitmap (attribute 0x0002, or the Zone Status Change
 * Notification command 0x00) means different things by zone type: for a contact switch (0x0015)
 * alarm1 = open, so {@code contact} = !alarm1; for a water sensor (0x002A) {@code water_leak} =
 * alarm1; for a motion sensor (0x000D) {@code occupancy} = alarm1; otherwise {@code alarm}.
 * Bits 2 and 3 are {@code tamper} and {@code battery_low} (ZCL 8.2.2.2.1.3).
 *
 * <p>The zone type comes from the option {@code zoneType} (contact, water, motion, generic) or from
 * attribute 0x0001 read at interview.
 */
public final class IasZoneConverter extends AbstractConverter {
    public static final int CLUSTER = 0x0500;
    public static final int ZONE_STATE = 0x0000;
    public static final int ZONE_TYPE = 0x0001;
    public static final int ZONE_STATUS = 0x0002;
    public static final int IAS_CIE_ADDRESS = 0x0010;
    public static final int CMD_ZONE_STATUS_CHANGE_NOTIFICATION = 0x00;
    public static final int CMD_ZONE_ENROLL_REQUEST = 0x01;
    public static final int TYPE_MOTION = 0x000D;
    public static final int TYPE_CONTACT = 0x0015;
    public static final int TYPE_WATER = 0x002A;

    public IasZoneConverter() {
        super(CLUSTER, "iasZone");
    }

    /** contact, water, motion or generic. */
    public static String zoneKind(ConverterContext ctx) {
        if (ctx.options().has("zoneType")) {
            return ctx.options().string("zoneType", "generic");
        }
        long t = cached(ctx, CLUSTER, ZONE_TYPE, -1);
        return t == TYPE_CONTACT ? "contact" : t == TYPE_WATER ? "water" : t == TYPE_MOTION ? "motion" : "generic";
    }

    private static String primary(String kind) {
        return switch (kind) {
            case "contact" -> "contact";
            case "water" -> "water_leak";
            case "motion" -> "occupancy";
            default -> "alarm";
        };
    }

    @Override
    public List<Capability> capabilities(ConverterContext ctx) {
        int ep = ctx.endpoint();
        List<Capability> out = new ArrayList<>();
        out.add(BinaryCapability.bool(primary(zoneKind(ctx)), "rg", ep));
        out.add(BinaryCapability.bool("tamper", "r", ep));
        out.add(BinaryCapability.bool("battery_low", "r", ep));
        return out;
    }

    @Override
    public List<Integer> interviewAttributes() {
        return ids(ZONE_TYPE, ZONE_STATUS);
    }

    /** State from a zone status bitmap. */
    public Map<String, Object> fromZoneStatus(int status, ConverterContext ctx) {
        Map<String, Object> out = map();
        boolean alarm1 = (status & 0x0001) != 0;
        String kind = zoneKind(ctx);
        out.put(primary(kind), kind.equals("contact") ? !alarm1 : alarm1);
        out.put("tamper", (status & 0x0004) != 0);
        out.put("battery_low", (status & 0x0008) != 0);
        return out;
    }

    @Override
    public Map<String, Object> fromAttributes(List<AttributeValue> attributes, ConverterContext ctx) {
        for (AttributeValue av : attributes) {
            if (av.attributeId() == ZONE_STATUS) {
                Long v = integer(av, ctx);
                if (v != null) {
                    return fromZoneStatus(v.intValue(), ctx);
                }
            }
        }
        return Map.of();
    }

    /** Zone Status Change Notification: zone status u16, extended status u8, zone id u8, delay u16. */
    @Override
    public Map<String, Object> fromCommand(int commandId, byte[] payload, ConverterContext ctx) {
        if (commandId != CMD_ZONE_STATUS_CHANGE_NOTIFICATION) {
            return Map.of();
        }
        // Only the status is needed; older devices omit the trailing fields, so do not demand them.
        return fromZoneStatus(new ZclReader(payload).u16(), ctx);
    }

    @Override
    public List<Integer> readAttributes(String capability) {
        return ids(ZONE_STATUS);
    }
}
