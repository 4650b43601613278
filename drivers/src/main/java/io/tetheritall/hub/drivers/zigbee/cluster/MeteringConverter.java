package io.tetheritall.hub.drivers.zigbee.cluster;

import io.tetheritall.hub.drivers.capability.Capability;
import io.tetheritall.hub.drivers.capability.NumericCapability;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclDataType;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.AttributeValue;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.ReportingRecord;

import java.util.List;
import java.util.Map;

/**
 * Metering (0x0702): {@code energy} in kWh from CurrentSummationDelivered (0x0000, uint48) ×
 * Multiplier (0x0301) / Divisor (0x0302). When the device has no divisor the option
 * {@code divisor} (default 1000: the summation counts Wh) is used.
 */
public final class MeteringConverter extends AbstractConverter {
    public static final int CLUSTER = 0x0702;
    public static final int CURRENT_SUMMATION_DELIVERED = 0x0000;
    public static final int MULTIPLIER = 0x0301;
    public static final int DIVISOR = 0x0302;
    public static final int INSTANTANEOUS_DEMAND = 0x0400;

    public MeteringConverter() {
        super(CLUSTER, "metering");
    }

    @Override
    public List<Capability> capabilities(ConverterContext ctx) {
        return List.of(NumericCapability.of("energy", "rg", ctx.endpoint(), "kWh", 0d, null, false));
    }

    @Override
    public List<Integer> interviewAttributes() {
        return ids(MULTIPLIER, DIVISOR);
    }

    @Override
    public List<ReportingRecord> defaultReporting() {
        return List.of(report(CURRENT_SUMMATION_DELIVERED, ZclDataType.UINT48, 10, 3600, 1));
    }

    @Override
    public Map<String, Object> fromAttributes(List<AttributeValue> attributes, ConverterContext ctx) {
        Map<String, Object> out = map();
        long mult = cached(ctx, CLUSTER, MULTIPLIER, 1);
        long div = cached(ctx, CLUSTER, DIVISOR, ctx.options().integer("divisor", 1000));
        for (AttributeValue av : attributes) {
            if (av.attributeId() == CURRENT_SUMMATION_DELIVERED) {
                Long v = integer(av, ctx);
                if (v != null) {
                    out.put("energy", round(v * (double) mult / div, 3));
                }
            }
        }
        return out;
    }

    @Override
    public List<Integer> readAttributes(String capability) {
        return capability.equals("energy") ? ids(CURRENT_SUMMATION_DELIVERED) : List.of();
    }
}
