package io.tetheritall.hub.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs {@code bin/tetheritall-hub} in dry-run mode and checks the JVM command it would exec. */
class LauncherScriptTest {
    private static final Path SCRIPT = Path.of("../bin/tetheritall-hub").toAbsolutePath().normalize();
    private Path lib;

    @BeforeEach
    void setUp() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash needed");
        Files.createDirectories(Path.of("target/tmp"));
        lib = Files.createTempDirectory(Path.of("target/tmp"), "lib").toAbsolutePath();
        Files.writeString(lib.resolve("tetheritall-daemon-1.0.jar"), "not really a jar");
    }

    private List<String> dryRun(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("/bin/bash", SCRIPT.toString()));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("HUB_JAVA_OPTS");
        pb.environment().put("HUB_LAUNCHER_DRY_RUN", "1");
        pb.environment().put("HUB_LIB_DIR", lib.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }

    /** The {@code hub.jvm.opens} property of the root pom: the launcher must pass the same flags. */
    private static List<String> pomOpens() throws IOException {
        String pom = Files.readString(Path.of("../pom.xml"));
        Matcher m = Pattern.compile("<hub\\.jvm\\.opens>(.*?)</hub\\.jvm\\.opens>", Pattern.DOTALL).matcher(pom);
        assertTrue(m.find());
        return Arrays.asList(m.group(1).trim().split("\\s+"));
    }

    @Test
    void commandCarriesChronicleFlagsSmallHeapAndArguments() throws Exception {
        List<String> cmd = dryRun(Map.of(), "check-config", "--config", "/etc/x.conf");
        assertTrue(cmd.containsAll(pomOpens()), "launcher opens differ from the root pom's hub.jvm.opens: " + cmd);
        assertTrue(cmd.contains("-Dchronicle.analytics.disable=true"));
        assertTrue(cmd.contains("-Xmx96m") && cmd.contains("-Xms16m") && cmd.contains("-XX:+UseSerialGC"));
        // Measured footprint settings (bench/RESULTS.md, "Memory footprint"): small young generation, C1 only.
        assertTrue(cmd.contains("-Xmn4m") && cmd.contains("-XX:TieredStopAtLevel=1")
                && cmd.contains("-Dio.netty.allocator.type=unpooled"), cmd.toString());
        assertTrue(cmd.stream().anyMatch(a -> a.startsWith("-XX:MaxMetaspaceSize=")));
        int cp = cmd.indexOf("-cp");
        assertEquals(lib + "/*", cmd.get(cp + 1));
        assertEquals(List.of("io.tetheritall.hub.daemon.Main", "check-config", "--config", "/etc/x.conf"),
                cmd.subList(cp + 2, cmd.size()));
    }

    @Test
    void hubJavaOptsAreAppendedAfterTheDefaults() throws Exception {
        List<String> cmd = dryRun(Map.of("HUB_JAVA_OPTS", "-Xmx256m -Dfoo=bar"));
        int defaultHeap = cmd.indexOf("-Xmx96m");
        int override = cmd.indexOf("-Xmx256m");
        assertTrue(defaultHeap >= 0 && override > defaultHeap, "the later -Xmx wins: " + cmd);
        assertTrue(cmd.contains("-Dfoo=bar"));
    }

    @Test
    void noexecTmpMovesTmpdirUnderTheStateDir() throws Exception {
        Path state = Files.createTempDirectory(Path.of("target/tmp"), "state").toAbsolutePath();
        List<String> cmd = dryRun(Map.of("HUB_TMP_NOEXEC", "1", "HUB_STATE_DIR", state.toString()));
        assertTrue(cmd.contains("-Djava.io.tmpdir=" + state + "/tmp"), cmd.toString());
        assertTrue(Files.isDirectory(state.resolve("tmp")));
    }
}
