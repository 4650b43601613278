package io.tetheritall.hub.radios.it;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.tetheritall.hub.radios.api.OutgoingMessage;
import io.tetheritall.hub.radios.api.RadioError;
import io.tetheritall.hub.radios.api.RadioListener;
import io.tetheritall.hub.radios.api.RadioState;
import io.tetheritall.hub.radios.gpio.GpioFactory;
import io.tetheritall.hub.radios.gpio.ResetPin;
import io.tetheritall.hub.radios.link.Backoff;
import io.tetheritall.hub.radios.link.Links;
import io.tetheritall.hub.radios.link.ReconnectingLink;
import io.tetheritall.hub.radios.link.SerialLink;
import io.tetheritall.hub.radios.link.pty.SocatPty;
import io.tetheritall.hub.radios.recovery.HealthProbe;
import io.tetheritall.hub.radios.recovery.RecoveryConfig;
import io.tetheritall.hub.radios.recovery.RecoverySupervisor;
import io.tetheritall.hub.radios.scheduler.ScheduledRadio;
import io.tetheritall.hub.radios.time.ExecutorTaskScheduler;
import io.tetheritall.hub.radios.time.HubClock;
import io.tetheritall.hub.radios.znp.NetworkParamsStore;
import io.tetheritall.hub.radios.znp.ZnpConfig;
import io.tetheritall.hub.radios.znp.ZnpCoordinator;
import io.tetheritall.hub.radios.znp.sim.ZnpSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Check (5) of "Radio traffic control": the dongle is pulled and plugged back in, over a real socat pty pair
 * through jssc on both ends, with the scheduler, its breaker and the recovery supervisor on top. REAL time
 * (socat, jssc and the reconnecting link's backoff are real): the simulator's latencies are its defaults
 * (tens of ms) and the waits below are bounded polls, not timed assertions.
 */
class UnplugReplugOverPtyTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void tmpdir() throws IOException {
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private static void await(BooleanSupplier cond, Duration max, String what) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void unplugOpensTheBreakerAndReplugClosesItAndCommandsFlowAgain() throws Exception {
        Assumptions.assumeTrue(SocatPty.available(), "socat is not installed");
        SocatPty pty = SocatPty.start(dir.resolve("pty"));
        toClose.add(pty);
        ZnpSimulator sim = ZnpSimulator.realTime(TrafficControlAgainstSimulatorTest.sim(6).baud(115200)
                .joinSpacing(Duration.ofMillis(20)).build(), new SerialLink(pty.devicePath().toString(), 115200, false));
        toClose.add(sim);
        sim.start();
        ReconnectingLink hostEnd = Links.reconnecting(pty.hostPath().toString(), 115200, false,
                new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), 2.0, 0.2), null);
        ZnpCoordinator coordinator = new ZnpCoordinator(ZnpConfig.defaults("zigbee0"), hostEnd,
                NetworkParamsStore.inMemory(), HubClock.system());
        Map<Long, Integer> joined = new ConcurrentHashMap<>();
        coordinator.addListener(new RadioListener() {
            @Override
            public void deviceJoined(int nwk, long ieee, int parentNwk) {
                joined.put(ieee, nwk);
            }
        });
        ExecutorTaskScheduler thread = new ExecutorTaskScheduler("radio-zigbee0");
        ScheduledRadio radio = new ScheduledRadio(coordinator, TrafficControlAgainstSimulatorTest.policy().build(), thread);
        toClose.add(radio);
        radio.start().get(20, TimeUnit.SECONDS);
        coordinator.permitJoin(Duration.ofSeconds(60), -1).get(5, TimeUnit.SECONDS);
        await(() -> joined.size() == 6, Duration.ofSeconds(10), "6 joins");
        List<Integer> nwks = new ArrayList<>(joined.values());

        Context pi4j = GpioFactory.mock();
        toClose.add(pi4j::shutdown);
        DigitalOutput line = GpioFactory.output(pi4j, "radio-reset", 17, DigitalState.HIGH, DigitalState.HIGH);
        line.addListener(e -> {
            if (e.state() == DigitalState.HIGH) {
                sim.faults().reboot(); // the reset line reboots the stick (harmless while it is unplugged)
            }
        });
        ResetPin pin = new ResetPin(line, thread, Duration.ofMillis(100));
        List<String> exits = new CopyOnWriteArrayList<>();
        // reopen-link: the ReconnectingLink reopens by itself. ZnpCoordinator has no reopen of its own (start() hands
        // back the first, completed start), so this rung only buys its settle time and probes again.
        RecoverySupervisor sup = new RecoverySupervisor("zigbee0", thread,
                RecoverySupervisor.standardLadder(coordinator::softReset, pin, () -> coordinator.start()),
                HealthProbe.coordinatorNodeDescriptor(coordinator), RecoveryConfig.DEFAULT, (s, why) -> exits.add(why));
        toClose.add(sup);
        sup.attach(radio);
        List<CircuitBreaker.State> transitions = new CopyOnWriteArrayList<>();
        radio.breaker().getEventPublisher().onStateTransition(e -> transitions.add(e.getStateTransition().getToState()));

        // steady traffic: 20 commands/s round the devices
        Map<RadioError, AtomicLong> failures = new ConcurrentHashMap<>();
        AtomicLong delivered = new AtomicLong();
        AtomicLong deliveredAfterReplug = new AtomicLong();
        boolean[] replugged = {false};
        boolean[] stop = {false};
        int[] n = {0};
        Runnable[] gen = new Runnable[1];
        gen[0] = () -> {
            if (stop[0]) {
                return;
            }
            int i = n[0]++;
            CompletableFuture<Void> f = radio.send(OutgoingMessage.unicast(nwks.get(i % nwks.size()), 1, 0x0006,
                    TrafficControlAgainstSimulatorTest.zclOn(i)));
            f.whenComplete((v, t) -> {
                if (t == null) {
                    delivered.incrementAndGet();
                    if (replugged[0]) {
                        deliveredAfterReplug.incrementAndGet();
                    }
                } else {
                    failures.computeIfAbsent(io.tetheritall.hub.radios.api.RadioException.find(t).error(),
                            k -> new AtomicLong()).incrementAndGet();
                }
            });
            thread.schedule(gen[0], Duration.ofMillis(50).toNanos());
        };
        thread.execute(gen[0]);
        await(() -> delivered.get() >= 10, Duration.ofSeconds(10), "traffic flowing");
        assertTrue(failures.isEmpty(), failures.toString());

        long t0 = System.nanoTime();
        pty.unplug();
        await(() -> radio.breaker().getState() == CircuitBreaker.State.FORCED_OPEN
                || radio.breaker().getState() == CircuitBreaker.State.OPEN, Duration.ofSeconds(10), "breaker open");
        assertEquals(RadioState.DOWN, radio.state());
        long opened = System.nanoTime() - t0;
        Thread.sleep(1000); // the dongle stays out for a second: requests meanwhile must fail fast
        pty.replug();
        sim.faults().replug();
        replugged[0] = true;
        await(() -> radio.breaker().getState() == CircuitBreaker.State.CLOSED && deliveredAfterReplug.get() >= 10,
                Duration.ofSeconds(30), "breaker closed and commands delivered again; ladder " + sup.history());
        long recovered = System.nanoTime() - t0;
        thread.execute(() -> stop[0] = true);
        System.out.printf("unplug/replug over a pty: breaker open %d ms after the unplug, closed and 10 commands "
                        + "delivered %d ms after (1 s unplugged); ladder %s; failures meanwhile %s%n", opened / 1_000_000,
                recovered / 1_000_000, sup.history(), failures);
        assertEquals(RadioState.UP, radio.state());
        assertTrue(exits.isEmpty(), exits.toString());
        assertTrue(transitions.contains(CircuitBreaker.State.CLOSED));
        for (RadioError e : failures.keySet()) {
            assertTrue(e == RadioError.CIRCUIT_OPEN || e == RadioError.RADIO_UNAVAILABLE
                            || e == RadioError.DEADLINE_EXCEEDED, "only explicit unavailability answers: " + failures);
        }
        assertEquals(0, sim.counters().bufferFull());
    }
}
