package io.tetheritall.hub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.tetheritall.hub.store.l1.EvictionPolicy;
import io.tetheritall.hub.store.l1.OffHeapL1;
import java.security.CodeSource;
import net.openhft.chronicle.hash.VanillaGlobalMutableState;
import net.openhft.chronicle.values.Values;
import org.junit.jupiter.api.Test;

/**
 * The store's build generates and compiles {@code net.openhft.chronicle.hash.VanillaGlobalMutableState$$Native}
 * (store/src/build/ChronicleNative.java), so that Chronicle Map does not run javac in the hub's JVM (about 40 MB of
 * resident memory and 2-3 s of start-up). Chronicle must pick that class up instead of compiling its own.
 */
class ChronicleNativeClassTest {
    private static final String NAME = "net.openhft.chronicle.hash.VanillaGlobalMutableState$$Native";

    @Test
    void chronicleLoadsTheShippedClassInsteadOfCompilingOne() throws Exception {
        Class<?> nativeClass = Values.nativeClassFor(VanillaGlobalMutableState.class);
        assertEquals(NAME, nativeClass.getName());
        assertSame(Class.forName(NAME), nativeClass);
        // A class compiled at run time by Chronicle's CachedCompiler is defined without a code source; ours comes
        // from the store's classes (or jar).
        CodeSource source = nativeClass.getProtectionDomain().getCodeSource();
        assertNotNull(source, "the $$Native class was compiled at run time, not loaded from the store's build");
        assertEquals(OffHeapL1.class.getProtectionDomain().getCodeSource().getLocation(), source.getLocation(),
                "the $$Native class came from somewhere else than the store's classes");

        // And a real map works on it: the global state it backs tracks the data store size.
        try (OffHeapL1 l1 = new OffHeapL1(100, 1 << 20, EvictionPolicy.LRU, 40, 200)) {
            for (int i = 0; i < 100; i++) {
                l1.put("k" + i, new byte[150], 0, 1);
            }
            assertEquals(100, l1.count());
            assertNotNull(l1.get("k42", 2));
        }
    }
}
