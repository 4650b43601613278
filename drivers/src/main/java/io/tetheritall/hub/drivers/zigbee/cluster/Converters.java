package io.tetheritall.hub.drivers.zigbee.cluster;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The converter for each supported cluster. Converters are stateless, so one instance serves every device. */
public final class Converters {
    private static final Map<Integer, ClusterConverter> BY_CLUSTER;

    public static final BasicConverter BASIC = new BasicConverter();
    public static final GroupsConverter GROUPS = new GroupsConverter();
    public static final IasZoneConverter IAS_ZONE = new IasZoneConverter();

    static {
        Map<Integer, ClusterConverter> m = new LinkedHashMap<>();
        for (ClusterConverter c : new ClusterConverter[]{BASIC, new PowerConfigurationConverter(),
                new IdentifyConverter(), GROUPS, new ScenesConverter(), new OnOffConverter(),
                new LevelControlConverter(), new ColorControlConverter(), MeasurementConverter.illuminance(),
                MeasurementConverter.temperature(), MeasurementConverter.pressure(), MeasurementConverter.humidity(),
                new OccupancyConverter(), IAS_ZONE, new MeteringConverter(), new ElectricalMeasurementConverter()}) {
            m.put(c.clusterId(), c);
        }
        BY_CLUSTER = Collections.unmodifiableMap(m);
    }

    private Converters() {
    }

    /** The converter for a cluster, or null if the cluster is not supported. */
    public static ClusterConverter forCluster(int clusterId) {
        return BY_CLUSTER.get(clusterId);
    }

    public static Collection<ClusterConverter> all() {
        return BY_CLUSTER.values();
    }
}
