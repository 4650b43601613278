package io.tetheritall.hub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tetheritall.hub.store.l1.EvictionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StoreConfigTest {

    @Test
    void defaultsFollowTheOriginDocument() {
        StoreConfig c = StoreConfig.defaults();
        assertEquals(10_000, c.maxEntries());
        assertEquals(Duration.ofSeconds(3600), c.defaultTtl());
        assertTrue(c.compressionEnabled());
        assertEquals(1024, c.compressionThreshold());
        assertEquals(EvictionPolicy.LRU, c.evictionPolicy());
        assertTrue(c.writeBehindMaxDeferral().compareTo(c.writeBehindDebounce()) >= 0);
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("maxEntries", (UnaryOperator<StoreConfig.Builder>) b -> b.maxEntries(0)),
                Arguments.of("maxBytes", (UnaryOperator<StoreConfig.Builder>) b -> b.maxBytes(10)),
                Arguments.of("defaultTtl", (UnaryOperator<StoreConfig.Builder>) b -> b.defaultTtl(Duration.ofSeconds(-1))),
                Arguments.of("compressionThreshold", (UnaryOperator<StoreConfig.Builder>) b -> b.compressionThreshold(-5)),
                Arguments.of("writeBehindMaxDeferral", (UnaryOperator<StoreConfig.Builder>) b -> b
                        .writeBehindDebounce(Duration.ofSeconds(60)).writeBehindMaxDeferral(Duration.ofSeconds(10))),
                Arguments.of("cleanerInterval", (UnaryOperator<StoreConfig.Builder>) b -> b.cleanerInterval(Duration.ZERO)),
                Arguments.of("outboxMaxCount", (UnaryOperator<StoreConfig.Builder>) b -> b.outboxMaxCount(0)),
                Arguments.of("outboxMaxBytes", (UnaryOperator<StoreConfig.Builder>) b -> b.outboxMaxBytes(100)),
                Arguments.of("averageKeyBytes", (UnaryOperator<StoreConfig.Builder>) b -> b.averageKeyBytes(0)),
                Arguments.of("averageValueBytes", (UnaryOperator<StoreConfig.Builder>) b -> b.averageValueBytes(0)),
                Arguments.of("keyspaces", (UnaryOperator<StoreConfig.Builder>) b -> b.keyspace("a:b", Layer.L1,
                        WriteMode.WRITE_BEHIND)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void builderRejectsBadValuesNamingTheField(String field, UnaryOperator<StoreConfig.Builder> bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bad.apply(StoreConfig.builder()).build());
        assertTrue(e.getMessage().startsWith(field + " "), e.getMessage());
        assertTrue(e.getMessage().contains("but was"), e.getMessage());
    }

    @Test
    void keyspacePolicyIsTheTextBeforeTheFirstColon() {
        StoreConfig c = StoreConfig.builder().keyspace("registry", Layer.BOTH, WriteMode.WRITE_THROUGH)
                .keyspace("scratch", Layer.L1, WriteMode.WRITE_BEHIND).build();
        assertEquals(WriteMode.WRITE_THROUGH, c.policyFor("registry:0x00124b0001").writeMode());
        assertEquals(Layer.L1, c.policyFor("scratch:x:y").layer());
        assertEquals(KeyspacePolicy.DEFAULT, c.policyFor("state:lamp"));
        assertEquals(KeyspacePolicy.DEFAULT, c.policyFor("registry"));
    }

    @Test
    void toBuilderDerivesAnEqualConfig() {
        StoreConfig c = StoreConfig.builder().stateDir(Path.of("/x")).maxEntries(7)
                .keyspace("r", Layer.L2, WriteMode.WRITE_THROUGH).build();
        assertEquals(c, c.toBuilder().build());
        assertEquals(8, c.toBuilder().maxEntries(8).build().maxEntries());
    }

    @Test
    void evictionPolicyParsesTheEnvironmentSpelling() {
        assertEquals(EvictionPolicy.LFU, EvictionPolicy.parse(" lfu "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EvictionPolicy.parse("fifo"));
        assertTrue(e.getMessage().contains("fifo"));
    }
}
