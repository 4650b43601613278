package io.tetheritall.hub.drivers.zigbee.cluster;

import io.tetheritall.hub.drivers.capability.Capability;
import io.tetheritall.hub.drivers.capability.NumericCapability;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclDataType;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.AttributeValue;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.ReportingRecord;

import java.util.List;
import java.util.Map;

/** Power Configuration (0x0001), battery: percentage (half-percent units) and voltage (100 mV units). */
public final class PowerConfigurationConverter extends AbstractConverter {
    public static final int CLUSTER = 0x0001;
    public static final int BATTERY_VOLTAGE = 0x0020;
    public static final int BATTERY_PERCENTAGE = 0x0021;

    public PowerConfigurationConverter() {
        super(CLUSTER, "powerConfiguration");
    }

    @Override
    public List<Capability> capabilities(ConverterContext ctx) {
        int ep = ctx.endpoint();
        return List.of(NumericCapability.of("battery", "rg", ep, "%", 0d, 100d, false),
                NumericCapability.of("voltage", "rg", ep, "mV", 0d, null, true));
    }

    @Override
    public List<ReportingRecord> defaultReporting() {
        return List.of(report(BATTERY_PERCENTAGE, ZclDataType.UINT8, 3600, 62000, 0));
    }

    @Override
    public Map<String, Object> fromAttributes(List<AttributeValue> attributes, ConverterContext ctx) {
        Map<String, Object> out = map();
        for (AttributeValue av : attributes) {
            if (av.attributeId() == BATTERY_PERCENTAGE) {
                Long v = integer(av, ctx);
                if (v != null) {
                    // ZCL 3.3.2.2.3.1: "0x00 = 0%, 0x64 = 50%, 0xC8 = 100%"
                    out.put("battery", round(Math.min(200, v) / 2.0, 1));
                }
            } else if (av.attributeId() == BATTERY_VOLTAGE) {
                Long v = integer(av, ctx);
                if (v != null) {
                    out.put("voltage", v * 100);
                }
            }
        }
        return out;
    }

    @Override
    public List<Integer> readAttributes(String capability) {
        return switch (capability) {
            case "battery" -> ids(BATTERY_PERCENTAGE);
            case "voltage" -> ids(BATTERY_VOLTAGE);
            default -> List.of();
        };
    }
}
