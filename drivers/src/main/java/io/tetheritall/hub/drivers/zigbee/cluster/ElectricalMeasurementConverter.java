package io.tetheritall.hub.drivers.zigbee.cluster;

import io.tetheritall.hub.drivers.capability.Capability;
import io.tetheritall.hub.drivers.capability.NumericCapability;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclDataType;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.AttributeValue;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.ReportingRecord;

import java.util.List;
import java.util.Map;

/**
 * Electrical Measurement (0x0B04): {@code power} W (ActivePower 0x050B, int16), {@code voltage} V
 * (RMSVoltage 0x0505) and {@code current} A (RMSCurrent 0x0508), each scaled by its AC multiplier /
 * divisor pair (0x0604/0x0605, 0x0600/0x0601, 0x0602/0x0603) read at interview (default 1/1).
 */
public final class ElectricalMeasurementConverter extends AbstractConverter {
    public static final int CLUSTER = 0x0B04;
    public static final int RMS_VOLTAGE = 0x0505;
    public static final int RMS_CURRENT = 0x0508;
    public static final int ACTIVE_POWER = 0x050B;
    public static final int AC_VOLTAGE_MULTIPLIER = 0x0600;
    public static final int AC_VOLTAGE_DIVISOR = 0x0601;
    public static final int AC_CURRENT_MULTIPLIER = 0x0602;
    public static final int AC_CURRENT_DIVISOR = 0x0603;
    public static final int AC_POWER_MULTIPLIER = 0x0604;
    public static final int AC_POWER_DIVISOR = 0x0605;

    public ElectricalMeasurementConverter() {
        super(CLUSTER, "electricalMeasurement");
    }

    @Override
    public List<Capability> capabilities(ConverterContext ctx) {
        int ep = ctx.endpoint();
        return List.of(NumericCapability.of("power", "rg", ep, "W", null, null, false),
                NumericCapability.of("voltage", "rg", ep, "V", 0d, null, false),
                NumericCapability.of("current", "rg", ep, "A", 0d, null, false));
    }

    @Override
    public List<Integer> interviewAttributes() {
        return ids(AC_VOLTAGE_MULTIPLIER, AC_VOLTAGE_DIVISOR, AC_CURRENT_MULTIPLIER, AC_CURRENT_DIVISOR,
                AC_POWER_MULTIPLIER, AC_POWER_DIVISOR);
    }

    @Override
    public List<ReportingRecord> defaultReporting() {
        return List.of(report(ACTIVE_POWER, ZclDataType.INT16, 10, 3600, 5));
    }

    @Override
    public Map<String, Object> fromAttributes(List<AttributeValue> attributes, ConverterContext ctx) {
        Map<String, Object> out = map();
        for (AttributeValue av : attributes) {
            switch (av.attributeId()) {
                case ACTIVE_POWER -> put(out, "power", av, ctx, AC_POWER_MULTIPLIER, AC_POWER_DIVISOR, 2);
                case RMS_VOLTAGE -> put(out, "voltage", av, ctx, AC_VOLTAGE_MULTIPLIER, AC_VOLTAGE_DIVISOR, 2);
                case RMS_CURRENT -> put(out, "current", av, ctx, AC_CURRENT_MULTIPLIER, AC_CURRENT_DIVISOR, 3);
                default -> {
                }
            }
        }
        return out;
    }

    private void put(Map<String, Object> out, String key, AttributeValue av, ConverterContext ctx, int multAttr,
                     int divAttr, int digits) {
        Long v = integer(av, ctx);
        if (v != null) {
            long mult = cached(ctx, CLUSTER, multAttr, 1);
            long div = cached(ctx, CLUSTER, divAttr, 1);
            out.put(key, round(v * (double) mult / div, digits));
        }
    }

    @Override
    public List<Integer> readAttributes(String capability) {
        return switch (capability) {
            case "power" -> ids(ACTIVE_POWER);
            case "voltage" -> ids(RMS_VOLTAGE);
            case "current" -> ids(RMS_CURRENT);
            default -> List.of();
        };
    }
}
