package io.tetheritall.hub.drivers.zigbee.cluster;

import io.tetheritall.hub.drivers.capability.BinaryCapability;
import io.tetheritall.hub.drivers.capability.Capability;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclDataType;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.AttributeValue;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.ReportingRecord;

import java.util.List;
import java.util.Map;

/** Occupancy Sensing (0x0406): {@code occupancy} from bit 0 of the occupancy bitmap (0x0000). */
public final class OccupancyConverter extends AbstractConverter {
    public static final int CLUSTER = 0x0406;
    public static final int OCCUPANCY = 0x0000;

    public OccupancyConverter() {
        super(CLUSTER, "occupancy");
    }

    @Override
    public List<Capability> capabilities(ConverterContext ctx) {
        return List.of(BinaryCapability.bool("occupancy", "rg", ctx.endpoint()));
    }

    @Override
    public List<ReportingRecord> defaultReporting() {
        return List.of(report(OCCUPANCY, ZclDataType.BITMAP8, 0, 3600, null));
    }

    @Override
    public Map<String, Object> fromAttributes(List<AttributeValue> attributes, ConverterContext ctx) {
        Map<String, Object> out = map();
        for (AttributeValue av : attributes) {
            if (av.attributeId() == OCCUPANCY) {
                Long v = integer(av, ctx);
                if (v != null) {
                    out.put("occupancy", (v & 0x01) != 0);
                }
            }
        }
        return out;
    }

    @Override
    public List<Integer> readAttributes(String capability) {
        return capability.equals("occupancy") ? ids(OCCUPANCY) : List.of();
    }
}
