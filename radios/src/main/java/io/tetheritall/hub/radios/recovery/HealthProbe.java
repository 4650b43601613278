package io.tetheritall.hub.radios.recovery;

import io.tetheritall.hub.radios.api.ZigbeeRadio;

import java.util.concurrent.CompletableFuture;

/** Asks a radio whether it answers; completes normally if it does. Must not block. */
@FunctionalInterface
public interface HealthProbe {

    CompletableFuture<?> probe();

    /**
     * The coordinator's own node descriptor (ZDO to NWK 0x0000, answered by the coordinator itself without
     * any radio traffic): a round trip through the firmware. Give it the BARE radio, not the scheduled one,
     * whose breaker is held open during recovery.
     */
    static HealthProbe coordinatorNodeDescriptor(ZigbeeRadio bare) {
        return () -> bare.nodeDescriptor(0x0000);
    }
}
