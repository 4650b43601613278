package io.tetheritall.hub.drivers.zigbee.cluster;

import io.tetheritall.hub.drivers.zigbee.zcl.ZclDataType;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.AttributeValue;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.ReportingRecord;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclValue;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclWriter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared helpers for converters: typed attribute access that drops (with a reason) what does not fit. */
public abstract class AbstractConverter implements ClusterConverter {
    private final int clusterId;
    private final String name;

    protected AbstractConverter(int clusterId, String name) {
        this.clusterId = clusterId;
        this.name = name;
    }

    @Override
    public int clusterId() {
        return clusterId;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * The attribute's integer value, or null if it is a non-value (no measurement) or not an
     * integer type, in which case it is dropped through the context with reason {@code wrong_type}.
     */
    protected Long integer(AttributeValue av, ConverterContext ctx) {
        ZclValue v = av.value();
        if (v.value() instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (!(v.value() instanceof Long l)) {
            if (v.value() != null) {
                ctx.drop("wrong_type", String.format("%s attribute 0x%04x: expected an integer, got %s", name,
                        av.attributeId(), v));
            }
            return null;
        }
        if (v.isNonValue()) {
            return null;
        }
        return l;
    }

    /** Like {@link #integer} but accepting floats too. */
    protected Double number(AttributeValue av, ConverterContext ctx) {
        if (av.value().value() instanceof Double d) {
            return d;
        }
        Long l = integer(av, ctx);
        return l == null ? null : l.doubleValue();
    }

    /** The attribute's boolean value; integers 0/1 are accepted (some devices send onOff as uint8). */
    protected Boolean bool(AttributeValue av, ConverterContext ctx) {
        Object o = av.value().value();
        if (o instanceof Boolean b) {
            return b;
        }
        if (o instanceof Long l && !av.value().isNonValue()) {
            return l != 0;
        }
        if (o != null) {
            ctx.drop("wrong_type", String.format("%s attribute 0x%04x: expected a boolean, got %s", name,
                    av.attributeId(), av.value()));
        }
        return null;
    }

    /** Rounds to {@code digits} decimals. */
    protected static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** A long attribute from the context's cache, or {@code dflt}. */
    protected static long cached(ConverterContext ctx, int cluster, int attr, long dflt) {
        ZclValue v = ctx.attribute(cluster, attr);
        if (v != null && v.value() instanceof Long l && !v.isNonValue() && l != 0) {
            return l;
        }
        return dflt;
    }

    protected static Map<String, Object> map() {
        return new LinkedHashMap<>();
    }

    protected static ReportingRecord report(int attr, ZclDataType type, int min, int max, Number change) {
        return new ReportingRecord(attr, type, min, max, change);
    }

    protected ZclRequest command(int commandId, byte[] payload, Map<String, Object> expect, String coalesceKey) {
        return new ZclRequest(clusterId, true, commandId, payload, expect, coalesceKey);
    }

    protected static ZclWriter w() {
        return new ZclWriter();
    }

    /** Transition time in tenths of a second from the {@code transition} key (seconds), default 0. */
    protected static int transitionTenths(Map<String, Object> all) {
        Object t = all.get("transition");
        if (t instanceof Number n) {
            return (int) Math.max(0, Math.min(0xFFFE, Math.round(n.doubleValue() * 10)));
        }
        return 0;
    }

    protected static List<Integer> ids(Integer... ids) {
        return List.of(ids);
    }
}
