package io.tetheritall.hub.radios.api;

/**
 * The network a radio runs, once it is up.
 *
 * @param panId          16-bit PAN id
 * @param extendedPanId  64-bit extended PAN id
 * @param channel        11..26
 * @param coordinatorIeee the coordinator's IEEE address
 * @param firmware       e.g. "Z-Stack 3.x.0 20230507"
 * @param formed         true if the network was formed by this start, false if it was restored
 */
public record NetworkInfo(int panId, long extendedPanId, int channel, long coordinatorIeee, String firmware,
                          boolean formed) {
}
