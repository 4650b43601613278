package io.tetheritall.hub.drivers.zigbee.definition;

import io.tetheritall.hub.drivers.capability.Capability;
import io.tetheritall.hub.drivers.zigbee.cluster.ClusterConverter;
import io.tetheritall.hub.drivers.zigbee.cluster.ClusterOptions;
import io.tetheritall.hub.drivers.zigbee.cluster.ConverterContext;
import io.tetheritall.hub.drivers.zigbee.cluster.Converters;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.ReportingRecord;
import io.tetheritall.hub.radios.api.SimpleDescriptor;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * What the hub knows about a device model: which clusters give which capabilities (with
 * options), which reporting to configure, and its quirks.
 *
 * @param vendor        e.g. "IKEA"
 * @param model         the vendor's product code, e.g. "LED1545G12"
 * @param description   e.g. "TRADFRI bulb E27, white spectrum, opal, 980 lm"
 * @param zigbeeModels  Basic modelIdentifier values that select it
 * @param manufacturers Basic manufacturerName values it is limited to; empty = any
 * @param clusters      the clusters that expose capabilities
 * @param reporting     reporting to configure (clusters are bound first)
 * @param quirks        behaviours to work around
 * @param generic       true if built from the device's clusters because no entry matched
 */
public record DeviceDefinition(String vendor, String model, String description, List<String> zigbeeModels,
                               List<String> manufacturers, List<ExposedCluster> clusters, List<Reporting> reporting,
                               Set<Quirk> quirks, boolean generic) {
    public DeviceDefinition {
        zigbeeModels = List.copyOf(zigbeeModels);
        manufacturers = List.copyOf(manufacturers);
        clusters = List.copyOf(clusters);
        reporting = List.copyOf(reporting);
        quirks = quirks.isEmpty() ? Set.of() : Set.copyOf(quirks);
    }

    public boolean has(Quirk q) {
        return quirks.contains(q);
    }

    /** "vendor model" or "generic". */
    public String displayName() {
        return generic ? "generic" : vendor + " " + model;
    }

    /**
     * The device's capabilities, each bound to its cluster and converter. {@code contexts} gives the
     * converter context for an exposed cluster (endpoint, options, attribute cache, state). A name
     * given by two clusters is kept once (the first cluster wins), so state keys stay unique.
     */
    public List<BoundCapability> capabilities(Function<ExposedCluster, ConverterContext> contexts) {
        Map<String, BoundCapability> out = new LinkedHashMap<>();
        for (ExposedCluster ec : clusters) {
            ClusterConverter conv = Converters.forCluster(ec.clusterId());
            if (conv == null) {
                continue;
            }
            for (Capability c : conv.capabilities(contexts.apply(ec))) {
                out.putIfAbsent(c.name(), new BoundCapability(c, ec, conv));
            }
        }
        return List.copyOf(out.values());
    }

    /** The exposed cluster for a cluster id on an endpoint, or null. */
    public ExposedCluster exposed(int endpoint, int clusterId) {
        for (ExposedCluster ec : clusters) {
            if (ec.clusterId() == clusterId && ec.endpoint() == endpoint) {
                return ec;
            }
        }
        return null;
    }

    /**
     * This definition with each exposed cluster and reporting moved to the endpoint where the
     * device really has that server cluster, when the table's endpoint lacks it (the same model can
     * ship with different endpoint numbering). Clusters the device lacks entirely are kept as they are.
     */
    public DeviceDefinition adaptTo(List<SimpleDescriptor> endpoints) {
        if (endpoints.isEmpty()) {
            return this;
        }
        List<ExposedCluster> cs = new ArrayList<>();
        for (ExposedCluster ec : clusters) {
            cs.add(new ExposedCluster(ec.clusterId(), endpointFor(endpoints, ec.endpoint(), ec.clusterId()),
                    ec.options()));
        }
        List<Reporting> rs = new ArrayList<>();
        for (Reporting r : reporting) {
            rs.add(new Reporting(endpointFor(endpoints, r.endpoint(), r.clusterId()), r.clusterId(), r.record()));
        }
        return new DeviceDefinition(vendor, model, description, zigbeeModels, manufacturers, cs, rs, quirks, generic);
    }

    private static int endpointFor(List<SimpleDescriptor> endpoints, int wanted, int cluster) {
        for (SimpleDescriptor sd : endpoints) {
            if (sd.endpoint() == wanted && sd.inputClusters().contains(cluster)) {
                return wanted;
            }
        }
        for (SimpleDescriptor sd : endpoints) {
            if (sd.inputClusters().contains(cluster)) {
                return sd.endpoint();
            }
        }
        return wanted;
    }

    /** Starts a definition for a model id. */
    public static Builder builder(String vendor, String model, String description, String... zigbeeModels) {
        return new Builder(vendor, model, description, zigbeeModels);
    }

    /** Builds definitions for the table; clusters default to endpoint 1. */
    public static final class Builder {
        private final String vendor;
        private final String model;
        private final String description;
        private final List<String> zigbeeModels;
        private final List<String> manufacturers = new ArrayList<>();
        private final List<ExposedCluster> clusters = new ArrayList<>();
        private final List<Reporting> reporting = new ArrayList<>();
        private final Set<Quirk> quirks = EnumSet.noneOf(Quirk.class);

        private Builder(String vendor, String model, String description, String... zigbeeModels) {
            this.vendor = Objects.requireNonNull(vendor);
            this.model = Objects.requireNonNull(model);
            this.description = description;
            this.zigbeeModels = List.of(zigbeeModels);
        }

        public Builder manufacturer(String... names) {
            manufacturers.addAll(List.of(names));
            return this;
        }

        /** Exposes a cluster on endpoint 1 with options as key/value pairs. */
        public Builder cluster(int clusterId, Object... options) {
            return clusterOn(1, clusterId, options);
        }

        /** Exposes a cluster on a given endpoint. */
        public Builder clusterOn(int endpoint, int clusterId, Object... options) {
            if (Converters.forCluster(clusterId) == null) {
                throw new IllegalArgumentException(String.format("no converter for cluster 0x%04x", clusterId));
            }
            clusters.add(new ExposedCluster(clusterId, endpoint, ClusterOptions.of(options)));
            return this;
        }

        /**
         * Configures the converter's default reporting for these clusters, on the endpoint each is exposed on
         * ({@link #clusterOn}; endpoint 1 for a cluster not exposed).
         */
        public Builder defaultReporting(int... clusterIds) {
            for (int c : clusterIds) {
                for (ReportingRecord r : Converters.forCluster(c).defaultReporting()) {
                    reporting.add(new Reporting(endpointOf(c), c, r));
                }
            }
            return this;
        }

        /** Configures one reporting record, on the endpoint the cluster is exposed on (endpoint 1 if not exposed). */
        public Builder reporting(int clusterId, ReportingRecord record) {
            reporting.add(new Reporting(endpointOf(clusterId), clusterId, record));
            return this;
        }

        private int endpointOf(int clusterId) {
            for (ExposedCluster ec : clusters) {
                if (ec.clusterId() == clusterId) {
                    return ec.endpoint();
                }
            }
            return 1;
        }

        public Builder quirk(Quirk... q) {
            quirks.addAll(List.of(q));
            return this;
        }

        public DeviceDefinition build() {
            return new DeviceDefinition(vendor, model, description, zigbeeModels, manufacturers, clusters, reporting,
                    quirks, false);
        }
    }
}
