package io.tetheritall.hub.radios.znp.sim;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link ZnpSimulator} behaves. Build with {@link #builder()}; every field has a default.
 *
 * @param seed              makes addresses, latencies, sensor values and fault effects repeatable
 * @param devices           the simulated population in order; by default {@code deviceCount} devices
 *                          cycling through {@link DeviceKind}
 * @param inFlightLimit     AF requests the stack holds between SRSP and AF_DATA_CONFIRM; one more is
 *                          refused with SRSP status 0x11 BUFFER_FULL (TI NWK buffers: 12 in total)
 * @param broadcastTableSize broadcast transaction table entries (Z-Stack MAX_BCAST = 9)
 * @param broadcastHold     how long an entry stays in the broadcast table (AN1138: 9 s)
 * @param baud              UART rate used to pace the simulator's output; 0 disables pacing. With a
 *                          {@link io.tetheritall.hub.radios.time.VirtualScheduler}, paced bytes beyond one frame of backlog wait for
 *                          the clock: advance it, or use 0 in tests that do not measure throughput
 * @param latency           air-time model
 * @param nvFile            optional file the NV memory (and joined devices) persists to
 * @param pollInterval      how often sleepy end devices poll their parent
 * @param indirectHold      how long a message for a sleepy device waits for a poll (Z-Stack: 7 s)
 * @param joinSpacing       time between two devices joining while join is permitted
 * @param bootTime          time from SYS_RESET_REQ (or a reboot) to SYS_RESET_IND
 */
public record ZnpSimulatorConfig(long seed, List<DeviceKind> devices, int inFlightLimit, int broadcastTableSize,
                                 Duration broadcastHold, int baud, LatencyModel latency, Path nvFile,
                                 Duration pollInterval, Duration indirectHold, Duration joinSpacing,
                                 Duration bootTime) {

    public ZnpSimulatorConfig {
        devices = List.copyOf(devices);
        Objects.requireNonNull(broadcastHold);
        Objects.requireNonNull(latency);
        Objects.requireNonNull(pollInterval);
        Objects.requireNonNull(indirectHold);
        Objects.requireNonNull(joinSpacing);
        Objects.requireNonNull(bootTime);
        if (inFlightLimit < 1 || broadcastTableSize < 1 || baud < 0) {
            throw new IllegalArgumentException("inFlightLimit and broadcastTableSize must be >= 1, baud >= 0");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code n} devices cycling through the catalogue: bulbs, plug, then sensors. */
    public static List<DeviceKind> population(int n) {
        List<DeviceKind> l = new ArrayList<>(n);
        DeviceKind[] k = DeviceKind.values();
        for (int i = 0; i < n; i++) {
            l.add(k[i % k.length]);
        }
        return l;
    }

    /** Builder with the defaults documented on the record. */
    public static final class Builder {
        private long seed = 1;
        private List<DeviceKind> devices = population(8);
        private int inFlightLimit = 12;
        private int broadcastTableSize = 9;
        private Duration broadcastHold = Duration.ofSeconds(9);
        private int baud = 115200;
        private LatencyModel latency = LatencyModel.DEFAULT;
        private Path nvFile;
        private Duration pollInterval = Duration.ofSeconds(5);
        private Duration indirectHold = Duration.ofSeconds(7);
        private Duration joinSpacing = Duration.ofMillis(800);
        private Duration bootTime = Duration.ofMillis(200);

        public Builder seed(long s) {
            seed = s;
            return this;
        }

        public Builder deviceCount(int n) {
            devices = population(n);
            return this;
        }

        public Builder devices(List<DeviceKind> d) {
            devices = List.copyOf(d);
            return this;
        }

        public Builder inFlightLimit(int n) {
            inFlightLimit = n;
            return this;
        }

        public Builder broadcastTable(int entries, Duration hold) {
            broadcastTableSize = entries;
            broadcastHold = hold;
            return this;
        }

        public Builder baud(int b) {
            baud = b;
            return this;
        }

        public Builder latency(LatencyModel l) {
            latency = l;
            return this;
        }

        public Builder nvFile(Path p) {
            nvFile = p;
            return this;
        }

        public Builder pollInterval(Duration d) {
            pollInterval = d;
            return this;
        }

        public Builder indirectHold(Duration d) {
            indirectHold = d;
            return this;
        }

        public Builder joinSpacing(Duration d) {
            joinSpacing = d;
            return this;
        }

        public Builder bootTime(Duration d) {
            bootTime = d;
            return this;
        }

        public ZnpSimulatorConfig build() {
            return new ZnpSimulatorConfig(seed, devices, inFlightLimit, broadcastTableSize, broadcastHold, baud,
                    latency, nvFile, pollInterval, indirectHold, joinSpacing, bootTime);
        }
    }
}
