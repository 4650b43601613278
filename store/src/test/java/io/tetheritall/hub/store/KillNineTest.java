package io.tetheritall.hub.store;

import static io.tetheritall.hub.store.StoreTestSupport.freshDir;
import static io.tetheritall.hub.store.StoreTestSupport.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tetheritall.hub.store.l2.MapDbFiles;
import io.tetheritall.hub.store.outbox.Outbox;
import io.tetheritall.hub.store.outbox.OutboxEntry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * kill -9 a real child JVM ({@link KillWriterMain}) while it writes, then reopen: the L2 file opens, every write the
 * child printed as committed is there, and the outbox has no duplicates and no holes, and nothing acknowledged came
 * back.
 */
class KillNineTest {
    private static final int ROUNDS = Integer.getInteger("kill9.rounds", 3);

    @Test
    void committedWritesSurviveKillNine() throws Exception {
        Path dir = freshDir("kill9");
        long start = 1;
        long totalCommitted = 0;
        int cutCommits = 0;
        for (int round = 0; round < ROUNDS; round++) {
            List<String> lines = runAndKill(dir, start);
            long maxC = 0;
            List<long[]> appended = new ArrayList<>();
            long lastAck = 0;
            long ackIntent = 0;
            List<Long> committed = new ArrayList<>();
            for (String l : lines) {
                String[] p = l.split(" ");
                switch (p[0]) {
                    case "C" -> committed.add(Long.parseLong(p[1]));
                    case "O" -> appended.add(new long[] {Long.parseLong(p[1]), Long.parseLong(p[2])});
                    case "A" -> lastAck = Math.max(lastAck, Long.parseLong(p[1]));
                    case "a" -> ackIntent = Math.max(ackIntent, Long.parseLong(p[1]));
                    default -> { }
                }
            }
            assertTrue(committed.size() >= 30, "round " + round + ": the child wrote too little: " + committed.size());
            totalCommitted += committed.size();
            // A non-empty journal: the kill landed inside a commit, after its journal was written (JournaledVolume).
            for (String f : List.of(TieredCache.L2_FILE, Outbox.FILE)) {
                Path j = MapDbFiles.journalOf(dir.resolve(f));
                if (Files.exists(j) && Files.size(j) > 0) {
                    cutCommits++;
                }
            }
            StoreConfig cfg = StoreConfig.builder().stateDir(dir).maxEntries(20_000).backgroundThreads(false).build();
            try (TieredCache cache = TieredCache.open(cfg); Outbox outbox = Outbox.open(cfg, StoreClock.system())) {
                assertEquals(0, cache.metrics().l2Recoveries(), "round " + round + ": the L2 file must open as it is");
                assertEquals(0, outbox.metrics().recoveries(), "round " + round + ": the outbox file must open");
                assertTrue(cache.metrics().l2Entries() > committed.size(), "write-behind batches reached disk too");
                for (long n : committed) {
                    assertEquals(Long.toString(n), str(cache.get("registry:" + n, Layer.L2).orElseThrow(
                            () -> new AssertionError("committed registry:" + n + " lost"))));
                    maxC = Math.max(maxC, n);
                }
                List<OutboxEntry> q = outbox.readBatch(Integer.MAX_VALUE, Long.MAX_VALUE);
                // Nothing acknowledged (and printed) came back; every printed append after it is there.
                for (OutboxEntry e : q) {
                    assertTrue(e.seq() > lastAck, "acknowledged seq " + e.seq() + " came back (ack " + lastAck + ")");
                }
                java.util.Set<Long> seqs = new java.util.HashSet<>();
                q.forEach(e -> seqs.add(e.seq()));
                for (long[] a : appended) {
                    if (a[0] > Math.max(lastAck, ackIntent)) {
                        assertTrue(seqs.contains(a[0]), "appended seq " + a[0] + " (n=" + a[1] + ") lost; last printed append "
                                + appended.get(appended.size() - 1)[0] + ", newest on disk "
                                + (q.isEmpty() ? "none" : q.get(q.size() - 1).seq()) + ", ack " + lastAck + "/" + ackIntent);
                    }
                }
                // In order, no duplicates, no holes: the payloads are consecutive numbers.
                for (int i = 1; i < q.size(); i++) {
                    assertTrue(q.get(i).seq() > q.get(i - 1).seq());
                    assertEquals(Long.parseLong(str(q.get(i - 1).payload())) + 1, Long.parseLong(str(q.get(i).payload())),
                            "hole or duplicate at seq " + q.get(i).seq());
                }
                // Drain it so the next round starts clean and the "no holes" check stays simple.
                if (!q.isEmpty()) {
                    outbox.acknowledge(q.get(q.size() - 1).seq());
                }
            }
            start = maxC + 1_000; // a gap in n between rounds (the child may have committed beyond what it printed)
        }
        System.out.println("kill -9 rounds: " + ROUNDS + ", committed writes checked: " + totalCommitted
                + ", commits the kill cut short (journal left behind): " + cutCommits);
    }

    private static List<String> runAndKill(Path dir, long start) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-D")) {
                cmd.add(a);
            }
        }
        cmd.add("-Xmx128m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(KillWriterMain.class.getName());
        cmd.add(dir.toString());
        cmd.add(Long.toString(start));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("child-stderr.txt").toFile()).start();
        ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
                String l;
                while ((l = r.readLine()) != null) {
                    if (l.equals("READY")) {
                        ready.countDown();
                    } else {
                        lines.add(l);
                    }
                }
            } catch (java.io.IOException e) {
                // the pipe closes when the child dies
            }
        }, "kill9-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            assertTrue(ready.await(60, TimeUnit.SECONDS), "the child did not start");
            // Kill after 1.5 s of writing, but not before 30 committed writes (a loaded machine is slow to warm up).
            long t0 = System.nanoTime();
            while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30)
                    && (System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(1500)
                        || lines.stream().filter(l -> l.startsWith("C ")).count() < 30)) {
                Thread.sleep(50);
            }
        } finally {
            p.destroyForcibly(); // SIGKILL on Linux
            p.waitFor(20, TimeUnit.SECONDS);
        }
        reader.join(5000);
        // A line cut by the kill is not a complete acknowledgement: keep only whole lines.
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (l.matches("[COAa]( \\d+)+")) {
                out.add(l);
            } else {
                System.out.println("child: " + l);
            }
        }
        return out;
    }
}
