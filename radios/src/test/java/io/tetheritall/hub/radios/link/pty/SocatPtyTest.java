package io.tetheritall.hub.radios.link.pty;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SocatPtyTest {

    @Test
    void startUnplugReplugClose() throws IOException {
        Assumptions.assumeTrue(SocatPty.available(), "socat is not installed");
        SocatPty pty = SocatPty.start();
        try {
            assertTrue(pty.isPlugged());
            assertTrue(pty.pid() > 0);
            for (Path p : new Path[] {pty.hostPath(), pty.devicePath()}) {
                assertTrue(Files.isSymbolicLink(p), p + " is a symlink");
                assertTrue(p.toRealPath().toString().startsWith("/dev/pts/"), p.toRealPath().toString());
            }
            assertNotEquals(pty.hostPath().toRealPath(), pty.devicePath().toRealPath());
            assertTrue(pty.hostPath().startsWith(Path.of(System.getProperty("java.io.tmpdir"))));

            pty.unplug();
            assertFalse(pty.isPlugged());
            assertEquals(-1, pty.pid());
            assertFalse(Files.exists(pty.hostPath(), LinkOption.NOFOLLOW_LINKS), "the device disappears");
            assertFalse(Files.exists(pty.devicePath(), LinkOption.NOFOLLOW_LINKS));
            pty.unplug(); // idempotent

            pty.replug();
            assertTrue(pty.isPlugged());
            assertTrue(Files.exists(pty.hostPath()), "same link path after replug");
            assertTrue(pty.hostPath().toRealPath().toString().startsWith("/dev/pts/"));
        } finally {
            pty.close();
        }
        assertFalse(pty.isPlugged());
        assertFalse(Files.exists(pty.hostPath(), LinkOption.NOFOLLOW_LINKS));
        assertThrows(IOException.class, pty::replug);
    }
}
