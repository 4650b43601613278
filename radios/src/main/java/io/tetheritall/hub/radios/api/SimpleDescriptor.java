package io.tetheritall.hub.radios.api;

import java.util.List;

/**
 * One endpoint's simple descriptor.
 *
 * @param endpoint       endpoint number
 * @param profileId      e.g. 0x0104
 * @param deviceId       ZHA device id
 * @param inputClusters  server clusters
 * @param outputClusters client clusters
 */
public record SimpleDescriptor(int endpoint, int profileId, int deviceId, List<Integer> inputClusters,
                               List<Integer> outputClusters) {
    public SimpleDescriptor {
        inputClusters = List.copyOf(inputClusters);
        outputClusters = List.copyOf(outputClusters);
    }
}
