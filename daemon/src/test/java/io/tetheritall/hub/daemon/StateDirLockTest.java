package io.tetheritall.hub.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One hub per state directory: a second one, in this JVM or in another process, is told who holds it. */
class StateDirLockTest {
    @TempDir
    Path dir;

    /** Run by the test in a child JVM: prints "acquired" or the refusal. */
    public static final class Probe {
        public static void main(String[] args) throws IOException {
            try (StateDirLock l = StateDirLock.acquire(Path.of(args[0]))) {
                System.out.println("acquired");
            } catch (StateDirLock.InUseException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }
    }

    private String probe() throws Exception {
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Probe.class.getName(), dir.toString()))
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe did not finish");
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    @Test
    void aSecondHubInAnotherProcessIsRefusedWithTheOwnersPid() throws Exception {
        long pid = ProcessHandle.current().pid();
        try (StateDirLock held = StateDirLock.acquire(dir)) {
            String out = probe();
            assertTrue(out.startsWith("refused: another Tetheritall Hub (pid " + pid + ")"), out);
            assertTrue(out.contains(dir.toString()), out);
        }
        assertEquals("acquired", probe(), "released with the holder");
    }

    @Test
    void aSecondAcquireInThisJvmIsRefusedToo() throws Exception {
        try (StateDirLock held = StateDirLock.acquire(dir)) {
            StateDirLock.InUseException e = assertThrows(StateDirLock.InUseException.class,
                    () -> StateDirLock.acquire(dir));
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
        }
        StateDirLock.acquire(dir).close();
    }
}
