package io.tetheritall.hub.store.l2;

import static io.tetheritall.hub.store.StoreTestSupport.freshDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.Serializer;

/**
 * A crash inside a MapDB commit, made deterministic: the files are copied at every point between the steps of one
 * commit (each copy is exactly what a kill -9 at that moment leaves on disk: the page cache survives the process),
 * and each copy is then opened as the hub would after the crash.
 */
class TornCommitTest {
    private record Image(String at, Path dir) {
    }

    /** The state before and after one commit, and the crash images taken inside it. */
    private record Run(Map<Long, String> before, Map<Long, String> after, List<Image> images) {
    }

    /**
     * Commits 400 entries, then cuts one transaction that touches many pages (removals at the head, appends at the
     * tail, updates between): at every step of that commit for which {@code take} says yes, the files are copied.
     */
    private static Run commitWithCrashImages(Path dir, java.util.function.Predicate<String> take, boolean keepJournal) {
        Path file = dir.resolve("t.db");
        List<Image> images = new ArrayList<>();
        AtomicBoolean capture = new AtomicBoolean();
        JournaledVolume.FlushHook hook = (step, applied) -> {
            if (capture.get() && take.test(step)) {
                Path img = dir.resolve("image-" + images.size());
                copyFiles(file, img);
                if (!keepJournal) {
                    Files.delete(JournaledVolume.journalOf(img.resolve("t.db")));
                }
                images.add(new Image(step + "/" + applied, img));
            }
        };
        DB db = MapDbFiles.openTx(file, false, hook);
        try {
            BTreeMap<Long, byte[]> q = db.treeMap("queue", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
            for (long i = 1; i <= 400; i++) {
                q.put(i, payload(i, 0));
            }
            db.commit();
            Map<Long, String> before = contents(q);
            capture.set(true);
            for (long i = 1; i <= 50; i++) {
                q.remove(i);
            }
            for (long i = 401; i <= 500; i++) {
                q.put(i, payload(i, 0));
            }
            for (long i = 200; i <= 260; i++) {
                q.put(i, payload(i, 1));
            }
            db.commit();
            capture.set(false);
            assertFalse(before.equals(contents(q)));
            return new Run(before, contents(q), images);
        } finally {
            db.close();
        }
    }

    @Test
    void aCommitCutAnywhereLeavesTheOldStateOrTheNewOneNeverAMix() {
        Run run = commitWithCrashImages(freshDir("torn"), step -> true, true);
        long applying = run.images().stream().filter(i -> i.at().startsWith("applying/")).count();
        assertTrue(applying >= 3, "the commit should write several pages, so that it can be cut between them: "
                + run.images());
        int oldState = 0;
        int newState = 0;
        for (Image img : run.images()) {
            Map<Long, String> seen = reopen(img.dir().resolve("t.db"));
            if (img.at().startsWith("reserved/")) {
                // Cut before the journal was complete: the main file is untouched, the commit never happened.
                assertEquals(run.before(), seen, "crash at " + img.at());
                oldState++;
            } else {
                // Cut after the journal was forced: the next open completes the commit.
                assertEquals(run.after(), seen, "crash at " + img.at());
                newState++;
            }
        }
        System.out.println("torn commit: " + run.images().size() + " crash points (" + applying
                + " of them between page writes): " + oldState + " reopened at the old state, " + newState
                + " at the new one, none mixed");
    }

    /**
     * Why the journal exists: the same crash points with the journal taken away (MapDB's own transactions alone)
     * leave at least one file that is neither the old state nor the new one, or does not open at all. (The pages
     * land in offset order here, header first, as MapDB's commit also writes its header first; MapDB's own order
     * of the rest differs, which changes where the tears are, not that there are some.)
     */
    @Test
    void withoutTheJournalMapDbAloneTearsTheFile() {
        Run run = commitWithCrashImages(freshDir("torn-nojournal"), "applying"::equals, false);
        List<String> torn = new ArrayList<>();
        for (Image img : run.images()) {
            try {
                Map<Long, String> seen = reopen(img.dir().resolve("t.db"));
                if (!seen.equals(run.before()) && !seen.equals(run.after())) {
                    torn.add(img.at() + ": " + seen.size() + " entries");
                }
            } catch (RuntimeException e) {
                torn.add(img.at() + ": " + e);
            }
        }
        System.out.println("without the journal, torn files at " + torn.size() + " of " + run.images().size()
                + " crash points: " + torn);
        assertFalse(torn.isEmpty(), "MapDB's transactions alone survived every crash point; is the journal still needed?");
    }

    private static byte[] payload(long i, int version) {
        byte[] b = new byte[100];
        Arrays.fill(b, (byte) ('a' + (i + version) % 26));
        b[0] = (byte) version;
        return b;
    }

    private static Map<Long, String> contents(BTreeMap<Long, byte[]> q) {
        Map<Long, String> m = new TreeMap<>();
        for (Map.Entry<Long, byte[]> e : q.entrySet()) {
            m.put(e.getKey(), Arrays.toString(e.getValue()));
        }
        return m;
    }

    private static Map<Long, String> reopen(Path file) {
        DB db = MapDbFiles.openTx(file, false);
        try {
            return contents(db.treeMap("queue", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen());
        } finally {
            db.close();
        }
    }

    /** Copies {@code file} and its companions (journal, MapDB's log files) into {@code target}. */
    private static void copyFiles(Path file, Path target) {
        try {
            Files.createDirectories(target);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(file.getParent(), file.getFileName() + "*")) {
                for (Path p : ds) {
                    Files.copy(p, target.resolve(p.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
