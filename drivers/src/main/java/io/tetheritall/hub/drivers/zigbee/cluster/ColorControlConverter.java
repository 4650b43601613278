package io.tetheritall.hub.drivers.zigbee.cluster;

import io.tetheritall.hub.drivers.capability.Capability;
import io.tetheritall.hub.drivers.capability.CompositeCapability;
import io.tetheritall.hub.drivers.capability.EnumCapability;
import io.tetheritall.hub.drivers.capability.NumericCapability;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclDataType;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.AttributeValue;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.ReportingRecord;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Color Control (0x0300): {@code color} ({x, y} in CIE 1931, or {hue °, saturation %}),
 * {@code color_temp} (mireds) and {@code color_mode}.
 *
 * <p>Options: {@code modes} — any of "xy", "hs", "ct" comma-separated (default: from the device's
 * colorCapabilities attribute 0x400A read at interview, else all three); {@code ctMin}/{@code ctMax}
 * — the colour temperature range in mireds (default: attributes 0x400B/0x400C, else 153..500).
 */
public final class ColorControlConverter extends AbstractConverter {
    public static final int CLUSTER = 0x0300;
    public static final int CURRENT_HUE = 0x0000;
    public static final int CURRENT_SATURATION = 0x0001;
    public static final int CURRENT_X = 0x0003;
    public static final int CURRENT_Y = 0x0004;
    public static final int COLOR_TEMPERATURE = 0x0007;
    public static final int COLOR_MODE = 0x0008;
    public static final int COLOR_CAPABILITIES = 0x400A;
    public static final int CT_PHYSICAL_MIN = 0x400B;
    public static final int CT_PHYSICAL_MAX = 0x400C;
    public static final int CMD_MOVE_TO_HUE_AND_SATURATION = 0x06;
    public static final int CMD_MOVE_TO_COLOR = 0x07;
    public static final int CMD_MOVE_TO_COLOR_TEMPERATURE = 0x0A;

    public ColorControlConverter() {
        super(CLUSTER, "colorControl");
    }

    /** Which colour modes the device supports: xy, hs, ct. */
    public static List<String> modes(ConverterContext ctx) {
        if (ctx.options().has("modes")) {
            return List.of(ctx.options().string("modes", "").split(","));
        }
        ZclValue caps = ctx.attribute(CLUSTER, COLOR_CAPABILITIES);
        if (caps != null && caps.value() instanceof Long c) {
            // ZCL 5.2.2.2.1.24 colorCapabilities: bit 0 hue/saturation, bit 3 XY, bit 4 colour temperature
            List<String> m = new ArrayList<>();
            if ((c & 0x08) != 0) {
                m.add("xy");
            }
            if ((c & 0x01) != 0) {
                m.add("hs");
            }
            if ((c & 0x10) != 0) {
                m.add("ct");
            }
            return m;
        }
        return List.of("xy", "hs", "ct");
    }

    @Override
    public List<Capability> capabilities(ConverterContext ctx) {
        int ep = ctx.endpoint();
        List<String> modes = modes(ctx);
        List<Capability> out = new ArrayList<>();
        if (modes.contains("ct")) {
            double min = ctx.options().integer("ctMin", (int) cached(ctx, CLUSTER, CT_PHYSICAL_MIN, 153));
            double max = ctx.options().integer("ctMax", (int) cached(ctx, CLUSTER, CT_PHYSICAL_MAX, 500));
            out.add(NumericCapability.of("color_temp", "rsg", ep, "mired", min, max, true));
        }
        List<Capability> features = new ArrayList<>();
        List<List<String>> forms = new ArrayList<>();
        if (modes.contains("xy")) {
            features.add(NumericCapability.of("x", "rsg", ep, null, 0d, 1d, false));
            features.add(NumericCapability.of("y", "rsg", ep, null, 0d, 1d, false));
            forms.add(List.of("x", "y"));
        }
        if (modes.contains("hs")) {
            features.add(NumericCapability.of("hue", "rsg", ep, "°", 0d, 360d, false));
            features.add(NumericCapability.of("saturation", "rsg", ep, "%", 0d, 100d, false));
            forms.add(List.of("hue", "saturation"));
        }
        if (!features.isEmpty()) {
            out.add(new CompositeCapability("color", Capability.access("rsg"), ep, features, forms));
        }
        if (modes.size() > 1) {
            List<String> values = new ArrayList<>();
            if (modes.contains("hs")) {
                values.add("hs");
            }
            if (modes.contains("xy")) {
                values.add("xy");
            }
            if (modes.contains("ct")) {
                values.add("color_temp");
            }
            out.add(new EnumCapability("color_mode", Capability.access("r"), ep, values));
        }
        return out;
    }

    @Override
    public List<Integer> interviewAttributes() {
        return ids(COLOR_CAPABILITIES, CT_PHYSICAL_MIN, CT_PHYSICAL_MAX);
    }

    @Override
    public List<ReportingRecord> defaultReporting() {
        return List.of(report(CURRENT_X, ZclDataType.UINT16, 1, 3600, 16),
                report(CURRENT_Y, ZclDataType.UINT16, 1, 3600, 16),
                report(COLOR_TEMPERATURE, ZclDataType.UINT16, 1, 3600, 1));
    }

    @Override
    public Map<String, Object> fromAttributes(List<AttributeValue> attributes, ConverterContext ctx) {
        Map<String, Object> out = map();
        Map<String, Object> color = new LinkedHashMap<>();
        if (ctx.state().get("color") instanceof Map<?, ?> cur) {
            cur.forEach((k, v) -> color.put(String.valueOf(k), v));
        }
        boolean colorChanged = false;
        for (AttributeValue av : attributes) {
            switch (av.attributeId()) {
                case CURRENT_X, CURRENT_Y -> {
                    Long v = integer(av, ctx);
                    if (v != null) {
                        // ZCL 5.2.2.2.1.4: x = CurrentX / 65536 (CurrentX in 0..0xFEFF)
                        color.put(av.attributeId() == CURRENT_X ? "x" : "y", round(v / 65535.0, 4));
                        colorChanged = true;
                    }
                }
                case CURRENT_HUE -> {
                    Long v = integer(av, ctx);
                    if (v != null) {
                        color.put("hue", (double) Math.round(v * 360.0 / 254.0));
                        colorChanged = true;
                    }
                }
                case CURRENT_SATURATION -> {
                    Long v = integer(av, ctx);
                    if (v != null) {
                        color.put("saturation", (double) Math.round(v * 100.0 / 254.0));
                        colorChanged = true;
                    }
                }
                case COLOR_TEMPERATURE -> {
                    Long v = integer(av, ctx);
                    if (v != null) {
                        out.put("color_temp", v);
                    }
                }
                case COLOR_MODE -> {
                    Long v = integer(av, ctx);
                    if (v != null) {
                        out.put("color_mode", v == 0 ? "hs" : v == 1 ? "xy" : "color_temp");
                    }
                }
                default -> {
                }
            }
        }
        if (colorChanged) {
            out.put("color", color);
        }
        return out;
    }

    @Override
    public List<ZclRequest> toZcl(String capability, Object value, Map<String, Object> all, ConverterContext ctx) {
        int tt = transitionTenths(all);
        switch (capability) {
            case "color_temp": {
                int mireds = ((Number) value).intValue();
                Map<String, Object> expect = map();
                expect.put("color_temp", (long) mireds);
                expect.put("color_mode", "color_temp");
                return List.of(command(CMD_MOVE_TO_COLOR_TEMPERATURE, w().u16(mireds).u16(tt).toByteArray(), expect,
                        "color"));
            }
            case "color": {
                @SuppressWarnings("unchecked")
                Map<String, Object> c = (Map<String, Object>) value;
                Map<String, Object> expect = map();
                if (c.containsKey("x") && c.containsKey("y")) {
                    double x = ((Number) c.get("x")).doubleValue();
                    double y = ((Number) c.get("y")).doubleValue();
                    int cx = (int) Math.min(0xFEFF, Math.round(x * 65535));
                    int cy = (int) Math.min(0xFEFF, Math.round(y * 65535));
                    expect.put("color", Map.of("x", round(cx / 65535.0, 4), "y", round(cy / 65535.0, 4)));
                    expect.put("color_mode", "xy");
                    return List.of(command(CMD_MOVE_TO_COLOR, w().u16(cx).u16(cy).u16(tt).toByteArray(), expect,
                            "color"));
                }
                double hue = ((Number) c.get("hue")).doubleValue();
                double sat = ((Number) c.get("saturation")).doubleValue();
                // ZCL 5.2.2.2.1.1: hue = CurrentHue * 360 / 254; saturation = CurrentSaturation / 254
                int zh = (int) Math.min(254, Math.round(hue * 254 / 360));
                int zs = (int) Math.min(254, Math.round(sat * 254 / 100));
                expect.put("color", Map.of("hue", (double) Math.round(zh * 360.0 / 254.0),
                        "saturation", (double) Math.round(zs * 100.0 / 254.0)));
                expect.put("color_mode", "hs");
                return List.of(command(CMD_MOVE_TO_HUE_AND_SATURATION, w().u8(zh).u8(zs).u16(tt).toByteArray(), expect,
                        "color"));
            }
            default:
                return super.toZcl(capability, value, all, ctx);
        }
    }

    @Override
    public List<Integer> readAttributes(String capability) {
        return switch (capability) {
            case "color" -> ids(CURRENT_X, CURRENT_Y, CURRENT_HUE, CURRENT_SATURATION);
            case "color_temp" -> ids(COLOR_TEMPERATURE);
            case "color_mode" -> ids(COLOR_MODE);
            default -> List.of();
        };
    }
}
