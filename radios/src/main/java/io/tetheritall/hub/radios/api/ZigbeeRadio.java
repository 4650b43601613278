package io.tetheritall.hub.radios.api;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A Zigbee coordinator as the drivers see it. All methods are non-blocking and thread-safe;
 * futures complete on the radio's event thread and fail with {@link RadioException}.
 */
public interface ZigbeeRadio extends AutoCloseable {

    /** A stable id for logs, metrics and config, e.g. {@code zigbee0}. */
    String id();

    /** Opens the link, forms or restores the network, registers endpoints. */
    CompletableFuture<NetworkInfo> start();

    /** Current state. */
    RadioState state();

    /** The network, once started; null before. */
    NetworkInfo network();

    /**
     * Sends one APS frame and completes when the radio confirms delivery to the next hop or the
     * APS ack (ZNP: AF_DATA_CONFIRM with SUCCESS).
     */
    CompletableFuture<Void> send(OutgoingMessage message, SendOptions options);

    default CompletableFuture<Void> send(OutgoingMessage message) {
        return send(message, SendOptions.DEFAULT);
    }

    /**
     * Opens the network for joining for {@code duration} (zero closes it).
     *
     * @param viaRouter a router's network address to open only through it, or -1 for network-wide
     */
    CompletableFuture<Void> permitJoin(Duration duration, int viaRouter);

    CompletableFuture<NodeDescriptor> nodeDescriptor(int nwk);

    CompletableFuture<List<Integer>> activeEndpoints(int nwk);

    CompletableFuture<SimpleDescriptor> simpleDescriptor(int nwk, int endpoint);

    /** Asks a device to leave the network (ZDO Mgmt_Leave). */
    CompletableFuture<Void> requestLeave(int nwk, long ieee);

    /** Binds {@code clusterId} on the device's endpoint to the coordinator (ZDO Bind). */
    CompletableFuture<Void> bind(int nwk, long ieee, int endpoint, int clusterId);

    void addListener(RadioListener listener);

    void removeListener(RadioListener listener);

    @Override
    void close();
}
