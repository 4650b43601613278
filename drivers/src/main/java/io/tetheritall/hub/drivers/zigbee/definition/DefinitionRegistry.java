package io.tetheritall.hub.drivers.zigbee.definition;

import io.tetheritall.hub.drivers.zigbee.cluster.ClusterConverter;
import io.tetheritall.hub.drivers.zigbee.cluster.ClusterOptions;
import io.tetheritall.hub.drivers.zigbee.cluster.Converters;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.ReportingRecord;
import io.tetheritall.hub.radios.api.SimpleDescriptor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses a {@link DeviceDefinition} for a device from its Basic-cluster identity
 * (manufacturerName, modelIdentifier), or builds a generic one from its clusters.
 * Immutable and thread-safe.
 */
public final class DefinitionRegistry {
    private final Map<String, List<DeviceDefinition>> byModel = new HashMap<>();
    private final List<DeviceDefinition> all;

    public DefinitionRegistry(List<DeviceDefinition> definitions) {
        this.all = List.copyOf(definitions);
        for (DeviceDefinition d : all) {
            for (String m : d.zigbeeModels()) {
                byModel.computeIfAbsent(m, k -> new ArrayList<>()).add(d);
            }
        }
    }

    /** The built-in table: the simulated devices and common real ones. */
    public static DefinitionRegistry builtIn() {
        return new DefinitionRegistry(Definitions.ALL);
    }

    public List<DeviceDefinition> all() {
        return all;
    }

    /**
     * The definition whose zigbee model matches {@code model} exactly (after trimming NUL padding and
     * spaces) and whose manufacturer list, if any, contains {@code manufacturer}.
     */
    public Optional<DeviceDefinition> lookup(String manufacturer, String model) {
        if (model == null) {
            return Optional.empty();
        }
        List<DeviceDefinition> candidates = byModel.get(model.replace("\u0000", "").trim());
        if (candidates == null) {
            return Optional.empty();
        }
        DeviceDefinition any = null;
        for (DeviceDefinition d : candidates) {
            if (d.manufacturers().isEmpty()) {
                any = any == null ? d : any;
            } else if (manufacturer != null && d.manufacturers().contains(manufacturer.trim())) {
                return Optional.of(d);
            }
        }
        return Optional.ofNullable(any);
    }

    /** {@link #lookup} or, if nothing matches, {@link #generic}. */
    public DeviceDefinition resolve(String manufacturer, String model, List<SimpleDescriptor> endpoints) {
        return lookup(manufacturer, model).map(d -> d.adaptTo(endpoints)).orElseGet(() -> generic(manufacturer, model, endpoints));
    }

    /**
     * A definition built from the device's server clusters: every cluster with a converter is
     * exposed on the first endpoint that has it, and reporting is configured with the converters'
     * defaults for clusters that report.
     */
    public static DeviceDefinition generic(String manufacturer, String model, List<SimpleDescriptor> endpoints) {
        List<ExposedCluster> clusters = new ArrayList<>();
        List<Reporting> reporting = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (SimpleDescriptor sd : endpoints) {
            for (int cluster : sd.inputClusters()) {
                ClusterConverter conv = Converters.forCluster(cluster);
                if (conv == null || !seen.add(cluster)) {
                    continue;
                }
                clusters.add(new ExposedCluster(cluster, sd.endpoint(), ClusterOptions.NONE));
                for (ReportingRecord r : conv.defaultReporting()) {
                    reporting.add(new Reporting(sd.endpoint(), cluster, r));
                }
            }
        }
        return new DeviceDefinition(manufacturer == null ? "unknown" : manufacturer,
                model == null ? "unknown" : model, "Generic Zigbee device", List.of(), List.of(), clusters, reporting,
                Set.of(), true);
    }
}
