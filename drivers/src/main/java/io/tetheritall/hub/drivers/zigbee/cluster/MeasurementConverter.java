package io.tetheritall.hub.drivers.zigbee.cluster;

import io.tetheritall.hub.drivers.capability.Capability;
import io.tetheritall.hub.drivers.capability.NumericCapability;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclDataType;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.AttributeValue;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.ReportingRecord;

import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * The measurement clusters that carry one {@code MeasuredValue} at attribute 0x0000: illuminance
 * (0x0400), temperature (0x0402), pressure (0x0403) and relative humidity (0x0405). Each is an
 * instance with its capability name, unit, wire type and scaling.
 */
public final class MeasurementConverter extends AbstractConverter {
    public static final int MEASURED_VALUE = 0x0000;

    private final String capability;
    private final String unit;
    private final ZclDataType type;
    private final DoubleUnaryOperator scale;
    private final int digits;
    private final Number reportableChange;

    private MeasurementConverter(int cluster, String name, String capability, String unit, ZclDataType type,
                                 DoubleUnaryOperator scale, int digits, Number reportableChange) {
        super(cluster, name);
        this.capability = capability;
        this.unit = unit;
        this.type = type;
        this.scale = scale;
        this.digits = digits;
        this.reportableChange = reportableChange;
    }

    /** 0x0402: int16 in hundredths of a degree Celsius (0x8000 = no measurement). */
    public static MeasurementConverter temperature() {
        return new MeasurementConverter(0x0402, "temperature", "temperature", "°C", ZclDataType.INT16,
                v -> v / 100.0, 2, 10);
    }

    /** 0x0405: uint16 in hundredths of a percent. */
    public static MeasurementConverter humidity() {
        return new MeasurementConverter(0x0405, "humidity", "humidity", "%", ZclDataType.UINT16, v -> v / 100.0, 2,
                100);
    }

    /** 0x0403: int16 in tenths of a kPa, i.e. hPa. */
    public static MeasurementConverter pressure() {
        return new MeasurementConverter(0x0403, "pressure", "pressure", "hPa", ZclDataType.INT16, v -> v, 1, 1);
    }

    /**
     * 0x0400: uint16 MeasuredValue = 10,000 × log10(lux) + 1 (ZCL 4.2.2.2.1.1); 0 means too dark to
     * measure.
     */
    public static MeasurementConverter illuminance() {
        return new MeasurementConverter(0x0400, "illuminance", "illuminance", "lx", ZclDataType.UINT16,
                v -> v <= 0 ? 0 : Math.pow(10, (v - 1) / 10000.0), 0, 500);
    }

    /** The capability this cluster exposes, e.g. {@code temperature}. */
    public String capabilityName() {
        return capability;
    }

    @Override
    public List<Capability> capabilities(ConverterContext ctx) {
        return List.of(NumericCapability.of(capability, "rg", ctx.endpoint(), unit, null, null, false));
    }

    @Override
    public List<ReportingRecord> defaultReporting() {
        return List.of(report(MEASURED_VALUE, type, 10, 3600, reportableChange));
    }

    @Override
    public Map<String, Object> fromAttributes(List<AttributeValue> attributes, ConverterContext ctx) {
        Map<String, Object> out = map();
        for (AttributeValue av : attributes) {
            if (av.attributeId() == MEASURED_VALUE) {
                Long raw = integer(av, ctx);
                if (raw != null) {
                    // Option directValue: the device puts the value itself in MeasuredValue (Aqara
                    // motion sensors send lux, not 10,000 × log10(lux) + 1).
                    double v = ctx.options().flag("directValue") ? raw : scale.applyAsDouble(raw);
                    out.put(capability, round(v, digits));
                }
            }
        }
        return out;
    }

    @Override
    public List<Integer> readAttributes(String cap) {
        return cap.equals(capability) ? ids(MEASURED_VALUE) : List.of();
    }
}
