package io.tetheritall.hub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.stream.Collectors;
import net.openhft.chronicle.hash.VanillaGlobalMutableState;
import net.openhft.chronicle.values.Values;
import org.junit.jupiter.api.Test;

/**
 * The store ships {@code net.openhft.chronicle.hash.VanillaGlobalMutableState$$Native} pre-generated, so that
 * Chronicle Map does not run javac in the hub's JVM (about 50 MB of resident memory and 2-3 s of start-up).
 * These tests keep that class honest: it must be exactly what the chronicle-values in use would generate, and
 * Chronicle must pick it up instead of compiling its own.
 */
class ChronicleNativeClassTest {
    private static final String NAME = "net.openhft.chronicle.hash.VanillaGlobalMutableState$$Native";
    private static final Path SHIPPED =
            Path.of("src/main/java/net/openhft/chronicle/hash/VanillaGlobalMutableState$$Native.java");

    @Test
    void shippedSourceIsWhatChronicleValuesGeneratesToday() throws Exception {
        String generated = generate(VanillaGlobalMutableState.class);
        String shipped = Files.readString(SHIPPED, StandardCharsets.UTF_8);
        // Our additions: the leading // comment block and the @SuppressWarnings line (-Xlint:all on raw types).
        String stripped = shipped.lines()
                .dropWhile(l -> l.startsWith("//"))
                .filter(l -> !l.equals("@SuppressWarnings(\"all\")"))
                .collect(Collectors.joining("\n"));
        String expected = generated.lines().collect(Collectors.joining("\n"));
        if (!expected.equals(stripped)) {
            Path out = Path.of("target/chronicle-native").resolve(SHIPPED.getFileName());
            Files.createDirectories(out.getParent());
            Files.writeString(out, generated, StandardCharsets.UTF_8);
            fail("chronicle-values now generates a different " + NAME + " (Chronicle upgraded?). Its output is in "
                    + out.toAbsolutePath() + ": copy it over " + SHIPPED
                    + " keeping the header comment and the @SuppressWarnings(\"all\") line");
        }
    }

    @Test
    void chronicleLoadsTheShippedClassInsteadOfCompilingOne() throws Exception {
        Class<?> nativeClass = Values.nativeClassFor(VanillaGlobalMutableState.class);
        assertEquals(NAME, nativeClass.getName());
        assertSame(Class.forName(NAME), nativeClass);
        // A class compiled at run time by Chronicle's CachedCompiler is defined without a code source; ours comes
        // from the store's classes (or jar).
        CodeSource source = nativeClass.getProtectionDomain().getCodeSource();
        assertNotNull(source, "the $$Native class was generated at run time, not loaded from the store");
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

    /** chronicle-values' own generator (package-private), called the way ValueModel.createNativeClass calls it. */
    private static String generate(Class<?> valueType) throws Exception {
        Class<?> valueModel = Class.forName("net.openhft.chronicle.values.ValueModel");
        Object model = valueModel.getMethod("acquire", Class.class).invoke(null, valueType);
        Method simpleName = valueModel.getDeclaredMethod("simpleName");
        simpleName.setAccessible(true);
        Class<?> generators = Class.forName("net.openhft.chronicle.values.Generators");
        Method gen = generators.getDeclaredMethod("generateNativeClass", valueModel, String.class);
        gen.setAccessible(true);
        return (String) gen.invoke(null, model, simpleName.invoke(model) + "$$Native");
    }
}
