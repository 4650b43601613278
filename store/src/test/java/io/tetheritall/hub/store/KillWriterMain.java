package io.tetheritall.hub.store;

import io.tetheritall.hub.store.outbox.MessageKind;
import io.tetheritall.hub.store.outbox.Outbox;
import io.tetheritall.hub.store.outbox.OutboxEntry;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The child process of {@link KillNineTest}: writes as fast as it can until it is killed, and prints each write
 * only once it is committed.
 *
 * <pre>
 *   C n        registry:n was written through and committed
 *   O seq n    outbox message n was appended (committed) as seq
 *   a seq      about to acknowledge up to seq (the kill may land between the commit and the next line)
 *   A seq      the outbox was acknowledged up to seq (committed)
 * </pre>
 * Args: state folder, first n.
 */
public final class KillWriterMain {
    private KillWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.US_ASCII);
        Path dir = Path.of(args[0]);
        long n = Long.parseLong(args[1]);
        StoreConfig cfg = StoreConfig.builder().stateDir(dir).maxEntries(20_000)
                .writeBehindDebounce(Duration.ofMillis(50)).writeBehindMaxDeferral(Duration.ofMillis(200))
                .keyspace("registry", Layer.BOTH, WriteMode.WRITE_THROUGH).build();
        try (TieredCache cache = TieredCache.open(cfg); Outbox outbox = Outbox.open(cfg, StoreClock.system())) {
            out.println("READY");
            byte[] filler = new byte[64];
            for (; ; n++) {
                cache.put("registry:" + n, Long.toString(n).getBytes(StandardCharsets.US_ASCII));
                out.println("C " + n);
                for (int i = 0; i < 50; i++) { // write-behind traffic alongside: thousands of entries per second
                    cache.put("state:s" + (n % 100) + ":" + i, filler);
                }
                long seq = outbox.append(MessageKind.EVENT, null, Long.toString(n).getBytes(StandardCharsets.US_ASCII));
                out.println("O " + seq + " " + n);
                if (n % 7 == 0) {
                    List<OutboxEntry> batch = outbox.readBatch(5, Long.MAX_VALUE);
                    long last = batch.get(batch.size() - 1).seq();
                    out.println("a " + last);
                    outbox.acknowledge(last);
                    out.println("A " + last);
                }
            }
        }
    }
}
