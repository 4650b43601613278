package io.tetheritall.hub.bench.zigbee;

import io.tetheritall.hub.daemon.core.CoreConfig;
import io.tetheritall.hub.daemon.core.ZigbeeHub;
import io.tetheritall.hub.daemon.core.api.HubEvent;
import io.tetheritall.hub.daemon.core.registry.JsonFileDeviceRepository;
import io.tetheritall.hub.drivers.zigbee.definition.DefinitionRegistry;
import io.tetheritall.hub.radios.api.NetworkInfo;
import io.tetheritall.hub.radios.link.Backoff;
import io.tetheritall.hub.radios.link.ByteLink;
import io.tetheritall.hub.radios.link.Links;
import io.tetheritall.hub.radios.link.ReconnectingLink;
import io.tetheritall.hub.radios.scheduler.ScheduledRadio;
import io.tetheritall.hub.radios.scheduler.SchedulerConfig;
import io.tetheritall.hub.radios.time.HubClock;
import io.tetheritall.hub.radios.znp.PropertiesNetworkParamsStore;
import io.tetheritall.hub.radios.znp.ZnpConfig;
import io.tetheritall.hub.radios.znp.ZnpCoordinator;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The hub side as the daemon wires it ({@code Links.reconnecting} → {@link ZnpCoordinator} →
 * {@link ScheduledRadio} → {@link ZigbeeHub} on a state directory), plus the measuring helpers the
 * Zigbee scenarios share: event timestamps and CPU time by thread.
 */
final class ZigbeeRig implements AutoCloseable {
    final ByteLink link;
    final ZnpCoordinator coordinator;
    final ScheduledRadio radio;
    final ZigbeeHub hub;
    /** Every hub event with the System.nanoTime() at which it was published. */
    final List<Timed> events = new CopyOnWriteArrayList<>();
    final Map<String, Long> firstNanos = new ConcurrentHashMap<>();

    record Timed(long nanos, HubEvent event) {
    }

    private ZigbeeRig(ByteLink link, Path stateDir, CoreConfig core) throws Exception {
        Files.createDirectories(stateDir);
        this.link = link;
        this.coordinator = new ZnpCoordinator(ZnpConfig.defaults("zigbee0"), link,
                new PropertiesNetworkParamsStore(stateDir, "zigbee0"), HubClock.system());
        this.radio = ScheduledRadio.create(coordinator, SchedulerConfig.defaults());
        this.hub = new ZigbeeHub(radio, HubClock.system(), new JsonFileDeviceRepository(stateDir),
                DefinitionRegistry.builtIn(), core);
        hub.subscribe(e -> events.add(new Timed(System.nanoTime(), e)));
        hub.startTimer(Duration.ofMillis(20));
    }

    /** The hub on the host end of a serial path (a pty), through a reconnecting link. */
    static ZigbeeRig onSerial(String hostPath, Path stateDir, CoreConfig core) throws Exception {
        ReconnectingLink l = Links.reconnecting(hostPath, 115200, false, Backoff.DEFAULT, null);
        return new ZigbeeRig(l, stateDir, core);
    }

    /** The hub on an in-memory link end. */
    static ZigbeeRig onLink(ByteLink link, Path stateDir, CoreConfig core) throws Exception {
        return new ZigbeeRig(link, stateDir, core);
    }

    NetworkInfo start() throws Exception {
        return radio.start().get(30, TimeUnit.SECONDS);
    }

    long count(HubEvent.Type t) {
        return events.stream().filter(e -> e.event().type() == t).count();
    }

    /** nanoTime of the first event of type {@code t} for each device (by IEEE). */
    Map<String, Long> first(HubEvent.Type t) {
        Map<String, Long> m = new ConcurrentHashMap<>();
        for (Timed e : events) {
            if (e.event().type() == t && e.event().ieee() != null) {
                m.putIfAbsent(e.event().ieee(), e.nanos());
            }
        }
        return m;
    }

    void awaitCount(HubEvent.Type t, int n, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (first(t).size() < n) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out: " + first(t).size() + " of " + n + " " + t
                        + "; failed " + count(HubEvent.Type.INTERVIEW_FAILED));
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close() {
        hub.close();
        radio.close();
        link.close();
    }

    // ---- CPU accounting ---------------------------------------------------------------------------

    /** CPU nanoseconds consumed so far by the live threads whose name matches, summed. */
    static long threadCpu(Predicate<String> name) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (ti != null && name.test(ti.getThreadName())) {
                long c = mx.getThreadCpuTime(ti.getThreadId());
                sum += Math.max(0, c);
            }
        }
        return sum;
    }

    /** The whole process's CPU time (all threads, JIT and GC included). */
    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Threads that belong to the simulated stick: its scheduler and the device end of the pty / link. */
    static boolean simThread(String name) {
        return name.startsWith("znp-sim") || name.endsWith("pty-b-1") || name.contains("pty-b-")
                || name.startsWith("link-sim");
    }

    /** The hub's own named threads: core timer, radio scheduler, ZNP events, MT sweeper, host link end. */
    static boolean hubThread(String name) {
        return !simThread(name) && (name.startsWith("hub-core") || name.startsWith("radio-") || name.startsWith("znp-")
                || name.startsWith("mt-") || name.startsWith("link-"));
    }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static long[] sorted(List<Long> l) {
        long[] a = l.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a;
    }

    static String ms(double nanos) {
        return String.format("%.2f", nanos / 1e6);
    }
}
