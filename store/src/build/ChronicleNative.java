import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Build step of the store module (store/pom.xml runs it after compile, with the module's runtime class path):
 * generates and compiles {@code net.openhft.chronicle.hash.VanillaGlobalMutableState$$Native} into the module's
 * classes, so that the hub does not.
 *
 * <p>Why: chronicle-values first tries to load {@code <interface>$$Native}; only if that fails does it generate the
 * source and compile it with javac inside the running JVM, when the first Chronicle Map is created. That costs 2-3 s
 * of start-up and about 40 MB of resident memory for the life of the hub (javac's classes, heap and JIT code; see
 * bench/RESULTS.md, "Memory footprint"), and a class defined from javac's output cannot go into the CDS archive.
 * Generating it here, with the chronicle-values of this build, keeps it identical to what Chronicle would make.
 *
 * <p>Args: the module's build directory ({@code target}).
 */
public final class ChronicleNative {
    private static final String VALUE = "net.openhft.chronicle.hash.VanillaGlobalMutableState";

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        String source = generate(Class.forName(VALUE));
        Path file = target.resolve("generated-sources/chronicle/" + VALUE.replace('.', '/') + "$$Native.java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source, StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "--release", "17", "-nowarn", "-proc:none",
                "-cp", System.getProperty("java.class.path"), "-d", target.resolve("classes").toString(),
                file.toString());
        if (rc != 0) {
            System.err.println("ChronicleNative: javac failed on " + file);
            System.exit(1);
        }
        System.out.println("ChronicleNative: compiled " + VALUE + "$$Native into " + target.resolve("classes"));
    }

    /** chronicle-values' own generator (package-private), called as ValueModel.createNativeClass calls it. */
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
