package io.tetheritall.hub.store;

import io.tetheritall.hub.store.l1.EvictionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable, validated configuration of the store. Build it with {@link #builder()} (or derive one with
 * {@link #toBuilder()}); the builder rejects a bad value with an {@link IllegalArgumentException} that names the
 * field and the value. The daemon maps the environment ({@code CACHE_MAX_SIZE}, {@code CACHE_DEFAULT_TTL},
 * {@code CACHE_EVICTION_POLICY}, {@code CACHE_COMPRESSION_ENABLED}, {@code CACHE_COMPRESSION_THRESHOLD}) onto it.
 *
 * @param maxEntries             L1 bound on entries ({@code CACHE_MAX_SIZE}), also the Chronicle Map sizing
 * @param maxBytes               L1 bound on stored bytes (keys excluded, values after compression)
 * @param evictionPolicy         L1 victim choice ({@code CACHE_EVICTION_POLICY})
 * @param defaultTtl             TTL of a put that names none ({@code CACHE_DEFAULT_TTL}); {@link Duration#ZERO}
 *                               means "never expires"
 * @param compressionEnabled     LZ4-compress values above the threshold ({@code CACHE_COMPRESSION_ENABLED})
 * @param compressionThreshold   values longer than this many bytes are compressed ({@code CACHE_COMPRESSION_THRESHOLD})
 * @param stateDir               the hub's state folder; L2 and the outbox live here
 * @param writeBehindDebounce    a write-behind key is written once it has been quiet this long
 * @param writeBehindMaxDeferral ... but never later than this after it first became dirty
 * @param cleanerInterval        period of the background expiry sweep of both layers
 * @param outboxMaxCount         outbox bound on queued messages
 * @param outboxMaxBytes         outbox bound on queued payload bytes
 * @param l2Mmap                 memory-mapped L2 file access (faster reads; rare {@code PointerChecksumBroken}
 *                               after a kill, which the store then handles by moving the file aside)
 * @param averageKeyBytes        typical key length, for Chronicle Map's sizing
 * @param averageValueBytes      typical value length (a device state is about 200 bytes), for Chronicle Map's
 *                               sizing: off-heap memory is about maxEntries x (key + value); larger values take more
 *                               chunks, and L1 evicts when Chronicle runs out of them
 * @param backgroundThreads      start the writer and cleaner threads; tests turn this off and call
 *                               {@link TieredCache#flushDue()} / {@link TieredCache#cleanExpired()} themselves
 * @param keyspaces              per-keyspace layer and write mode; others use {@link KeyspacePolicy#DEFAULT}
 */
public record StoreConfig(
        int maxEntries,
        long maxBytes,
        EvictionPolicy evictionPolicy,
        Duration defaultTtl,
        boolean compressionEnabled,
        int compressionThreshold,
        Path stateDir,
        Duration writeBehindDebounce,
        Duration writeBehindMaxDeferral,
        Duration cleanerInterval,
        int outboxMaxCount,
        long outboxMaxBytes,
        boolean l2Mmap,
        int averageKeyBytes,
        int averageValueBytes,
        boolean backgroundThreads,
        Map<String, KeyspacePolicy> keyspaces) {

    public StoreConfig {
        require(maxEntries >= 1, "maxEntries", "at least 1", maxEntries);
        require(maxBytes >= 1024, "maxBytes", "at least 1024", maxBytes);
        Objects.requireNonNull(evictionPolicy, "evictionPolicy");
        nonNegative(defaultTtl, "defaultTtl");
        require(compressionThreshold >= 0, "compressionThreshold", "at least 0", compressionThreshold);
        Objects.requireNonNull(stateDir, "stateDir");
        nonNegative(writeBehindDebounce, "writeBehindDebounce");
        nonNegative(writeBehindMaxDeferral, "writeBehindMaxDeferral");
        require(writeBehindMaxDeferral.compareTo(writeBehindDebounce) >= 0, "writeBehindMaxDeferral",
                "at least writeBehindDebounce (" + writeBehindDebounce + ")", writeBehindMaxDeferral);
        nonNegative(cleanerInterval, "cleanerInterval");
        require(!cleanerInterval.isZero(), "cleanerInterval", "positive", cleanerInterval);
        require(outboxMaxCount >= 1, "outboxMaxCount", "at least 1", outboxMaxCount);
        require(outboxMaxBytes >= 1024, "outboxMaxBytes", "at least 1024", outboxMaxBytes);
        require(averageKeyBytes >= 1 && averageKeyBytes <= 4096, "averageKeyBytes", "in 1..4096", averageKeyBytes);
        require(averageValueBytes >= 1 && averageValueBytes <= 1 << 20, "averageValueBytes", "in 1..1048576",
                averageValueBytes);
        Objects.requireNonNull(keyspaces, "keyspaces");
        for (Map.Entry<String, KeyspacePolicy> e : keyspaces.entrySet()) {
            require(!e.getKey().isEmpty() && e.getKey().indexOf(':') < 0, "keyspaces",
                    "names without ':'", e.getKey());
            Objects.requireNonNull(e.getValue(), "keyspaces[" + e.getKey() + "]");
        }
        keyspaces = Map.copyOf(keyspaces);
    }

    /** The origin document's defaults, state under {@code ./state}. */
    public static StoreConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxEntries = maxEntries;
        b.maxBytes = maxBytes;
        b.evictionPolicy = evictionPolicy;
        b.defaultTtl = defaultTtl;
        b.compressionEnabled = compressionEnabled;
        b.compressionThreshold = compressionThreshold;
        b.stateDir = stateDir;
        b.writeBehindDebounce = writeBehindDebounce;
        b.writeBehindMaxDeferral = writeBehindMaxDeferral;
        b.cleanerInterval = cleanerInterval;
        b.outboxMaxCount = outboxMaxCount;
        b.outboxMaxBytes = outboxMaxBytes;
        b.l2Mmap = l2Mmap;
        b.averageKeyBytes = averageKeyBytes;
        b.averageValueBytes = averageValueBytes;
        b.backgroundThreads = backgroundThreads;
        b.keyspaces.putAll(keyspaces);
        return b;
    }

    /** The policy for {@code key}: its keyspace's, or {@link KeyspacePolicy#DEFAULT}. */
    public KeyspacePolicy policyFor(String key) {
        if (keyspaces.isEmpty()) {
            return KeyspacePolicy.DEFAULT;
        }
        int colon = key.indexOf(':');
        KeyspacePolicy p = colon < 0 ? null : keyspaces.get(key.substring(0, colon));
        return p == null ? KeyspacePolicy.DEFAULT : p;
    }

    private static void require(boolean ok, String field, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(field + " must be " + rule + ", but was " + value);
        }
    }

    private static void nonNegative(Duration d, String field) {
        Objects.requireNonNull(d, field);
        require(!d.isNegative(), field, "zero or positive", d);
    }

    /** Mutable builder; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private int maxEntries = 10_000;
        private long maxBytes = 32L * 1024 * 1024;
        private EvictionPolicy evictionPolicy = EvictionPolicy.LRU;
        private Duration defaultTtl = Duration.ofSeconds(3600);
        private boolean compressionEnabled = true;
        private int compressionThreshold = 1024;
        private Path stateDir = Path.of("state");
        private Duration writeBehindDebounce = Duration.ofSeconds(30);
        private Duration writeBehindMaxDeferral = Duration.ofMinutes(5);
        private Duration cleanerInterval = Duration.ofMinutes(1);
        private int outboxMaxCount = 10_000;
        private long outboxMaxBytes = 8L * 1024 * 1024;
        private boolean l2Mmap = false;
        private int averageKeyBytes = 40;
        private int averageValueBytes = 256;
        private boolean backgroundThreads = true;
        private final Map<String, KeyspacePolicy> keyspaces = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder maxEntries(int v) { maxEntries = v; return this; }
        public Builder maxBytes(long v) { maxBytes = v; return this; }
        public Builder evictionPolicy(EvictionPolicy v) { evictionPolicy = v; return this; }
        public Builder defaultTtl(Duration v) { defaultTtl = v; return this; }
        public Builder compressionEnabled(boolean v) { compressionEnabled = v; return this; }
        public Builder compressionThreshold(int v) { compressionThreshold = v; return this; }
        public Builder stateDir(Path v) { stateDir = v; return this; }
        public Builder writeBehindDebounce(Duration v) { writeBehindDebounce = v; return this; }
        public Builder writeBehindMaxDeferral(Duration v) { writeBehindMaxDeferral = v; return this; }
        public Builder cleanerInterval(Duration v) { cleanerInterval = v; return this; }
        public Builder outboxMaxCount(int v) { outboxMaxCount = v; return this; }
        public Builder outboxMaxBytes(long v) { outboxMaxBytes = v; return this; }
        public Builder l2Mmap(boolean v) { l2Mmap = v; return this; }
        public Builder averageKeyBytes(int v) { averageKeyBytes = v; return this; }
        public Builder averageValueBytes(int v) { averageValueBytes = v; return this; }
        public Builder backgroundThreads(boolean v) { backgroundThreads = v; return this; }

        /** Sets the policy of keyspace {@code name} (the key prefix before the first {@code ':'}). */
        public Builder keyspace(String name, Layer layer, WriteMode writeMode) {
            keyspaces.put(Objects.requireNonNull(name, "keyspace name"), new KeyspacePolicy(layer, writeMode));
            return this;
        }

        public StoreConfig build() {
            return new StoreConfig(maxEntries, maxBytes, evictionPolicy, defaultTtl, compressionEnabled,
                    compressionThreshold, stateDir, writeBehindDebounce, writeBehindMaxDeferral, cleanerInterval,
                    outboxMaxCount, outboxMaxBytes, l2Mmap, averageKeyBytes, averageValueBytes, backgroundThreads, keyspaces);
        }
    }
}
