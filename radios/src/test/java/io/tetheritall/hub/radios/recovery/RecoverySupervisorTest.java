package io.tetheritall.hub.radios.recovery;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import io.tetheritall.hub.radios.api.OutgoingMessage;
import io.tetheritall.hub.radios.api.RadioError;
import io.tetheritall.hub.radios.api.RadioException;
import io.tetheritall.hub.radios.api.RadioListener;
import io.tetheritall.hub.radios.api.RadioState;
import io.tetheritall.hub.radios.gpio.GpioFactory;
import io.tetheritall.hub.radios.gpio.ResetPin;
import io.tetheritall.hub.radios.scheduler.ScheduledRadio;
import io.tetheritall.hub.radios.scheduler.SchedulerConfig;
import io.tetheritall.hub.radios.testing.FakeCoordinator;
import io.tetheritall.hub.radios.time.VirtualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The escalation ladder against a fake coordinator that hangs or loses its pty, with a mock reset pin. */
class RecoverySupervisorTest {
    private final VirtualScheduler vs = new VirtualScheduler();
    private final FakeCoordinator fake = new FakeCoordinator("zigbee0", vs);
    private final ScheduledRadio radio = new ScheduledRadio(fake, SchedulerConfig.defaults(), vs);
    private final Context pi4j = GpioFactory.mock();
    private final DigitalOutput resetLine = GpioFactory.output(pi4j, "radio-reset", 17, DigitalState.HIGH, DigitalState.HIGH);
    private final List<DigitalState> pinHistory = new ArrayList<>();
    private final ResetPin pin = new ResetPin(resetLine, vs, Duration.ofMillis(100));
    private final List<String> exits = new ArrayList<>();
    private final List<String> states = new ArrayList<>();
    private long replugAt = Long.MAX_VALUE;

    RecoverySupervisorTest() {
        resetLine.addListener(e -> pinHistory.add(e.state()));
        radio.addListener(new RadioListener() {
            @Override
            public void stateChanged(RadioState state, String reason) {
                states.add(state.name());
            }
        });
    }

    @AfterEach
    void shutdown() {
        pi4j.shutdown();
    }

    /** The dongle's nRESET: a low pulse restarts the firmware. */
    private void wireResetLineToDongle() {
        resetLine.addListener(e -> {
            if (e.state() == DigitalState.HIGH) {
                fake.hardReset();
            }
        });
    }

    private RecoverySupervisor supervisor(RecoveryConfig cfg) {
        List<RecoveryStep> ladder = RecoverySupervisor.standardLadder(fake::softReset, pin,
                () -> fake.reopen(vs.clock().nanos() >= replugAt));
        RecoverySupervisor s = new RecoverySupervisor("zigbee0", vs, ladder, HealthProbe.coordinatorNodeDescriptor(fake),
                cfg, (status, reason) -> exits.add(status + " " + reason));
        s.attach(radio);
        return s;
    }

    private static RadioError errorOf(CompletableFuture<?> f) {
        assertTrue(f.isDone());
        try {
            f.join();
            return null;
        } catch (RuntimeException e) {
            return RadioException.find(e).error();
        }
    }

    private void wedge() {
        fake.hang();
        for (int i = 0; i < 5; i++) {
            radio.send(OutgoingMessage.unicast(0x1000 + i, 1, 6, new byte[] {1}));
        }
    }

    @Test
    void wedgedDongleIsBroughtBackBySoftThenGpioReset() {
        wireResetLineToDongle();
        RecoverySupervisor sup = supervisor(RecoveryConfig.DEFAULT);
        long t0 = vs.clock().nanos();
        wedge();
        vs.advance(Duration.ofSeconds(6));
        assertEquals("FORCED_OPEN", radio.stats().breakerState(), "breaker opened after 5 timeouts; recovery holds it");
        assertTrue(sup.inProgress());
        CompletableFuture<Void> during = radio.send(OutgoingMessage.unicast(0x2000, 1, 6, new byte[] {2}));
        assertEquals(RadioError.CIRCUIT_OPEN, errorOf(during), "callers get a fast, explicit answer while resetting");

        vs.advance(Duration.ofSeconds(30));
        assertFalse(sup.inProgress());
        assertEquals(List.of("start", "soft-reset: failed", "gpio-reset: recovered"),
                sup.history().stream().map(l -> l.startsWith("start") ? "start" : l.replaceAll("(failed|recovered).*", "$1")).toList());
        assertEquals(List.of(DigitalState.LOW, DigitalState.HIGH), pinHistory);
        assertEquals(1, fake.softResets);
        assertEquals(1, fake.hardResets);
        assertEquals("CLOSED", radio.stats().breakerState());
        assertEquals(List.of("DOWN", "UP"), states, "devices are told the radio is gone, then back");
        assertEquals(1, radio.stats().recoveries());
        assertEquals(1, sup.recoveries());
        assertTrue(exits.isEmpty());
        Duration took = sup.lastRecoveryTime();
        assertNotNull(took);
        // soft reset waits out its SRSP timeout (6 s), pulse 0.1 s, settle 3 s, probe 30 ms.
        assertTrue(took.compareTo(Duration.ofSeconds(9)) > 0 && took.compareTo(Duration.ofSeconds(10)) < 0, took.toString());

        CompletableFuture<Void> after = radio.send(OutgoingMessage.unicast(0x2000, 1, 6, new byte[] {3}));
        vs.advance(Duration.ofSeconds(1));
        assertNull(errorOf(after), "traffic flows again");
        assertTrue(vs.clock().nanos() - t0 < Duration.ofSeconds(60).toNanos());
    }

    @Test
    void softResetAloneIsEnoughWhenTheFirmwareStillListens() {
        fake.softResetHelps = true;
        RecoverySupervisor sup = supervisor(RecoveryConfig.DEFAULT);
        wedge();
        vs.advance(Duration.ofSeconds(20));
        assertEquals(1, sup.recoveries());
        assertEquals(1, sup.history().size() - 1);
        assertTrue(sup.history().get(1).startsWith("soft-reset: recovered"));
        assertTrue(pinHistory.isEmpty(), "no hard reset needed");
    }

    @Test
    void unpluggedPtyRecoversWhenTheLinkIsReopenedAfterReplug() {
        wireResetLineToDongle();
        RecoverySupervisor sup = supervisor(RecoveryConfig.DEFAULT);
        replugAt = vs.clock().nanos() + Duration.ofSeconds(3).toNanos();
        fake.unplug();
        vs.advance(Duration.ofSeconds(30));
        List<String> h = sup.history();
        assertTrue(h.get(0).startsWith("start: serial link lost"), h.toString());
        assertTrue(h.get(1).startsWith("soft-reset: failed"), h.toString());
        assertTrue(h.get(2).startsWith("gpio-reset: done, radio still silent"), h.toString());
        assertTrue(h.get(3).startsWith("reopen-link: recovered"), h.toString());
        assertEquals("CLOSED", radio.stats().breakerState());
        assertTrue(exits.isEmpty());
        CompletableFuture<Void> after = radio.send(OutgoingMessage.unicast(0x2000, 1, 6, new byte[] {3}));
        vs.advance(Duration.ofSeconds(1));
        assertNull(errorOf(after));
    }

    @Test
    void aClosedSupervisorDoesNotTakeTheShutdownForASickRadio() {
        RecoverySupervisor sup = supervisor(RecoveryConfig.DEFAULT);
        sup.close();
        fake.unplug(); // the hub closing its own link
        vs.advance(Duration.ofMinutes(5));
        assertTrue(sup.history().isEmpty(), sup.history().toString());
        assertEquals(0, fake.softResets);
        assertTrue(exits.isEmpty());
    }

    @Test
    void exitsNonZeroWhenNothingHelps() {
        // The reset line is not wired: the pulse does nothing; the pty never comes back.
        RecoverySupervisor sup = supervisor(RecoveryConfig.DEFAULT);
        wedge();
        vs.advance(Duration.ofMinutes(1));
        assertTrue(exits.isEmpty(), "within the budget the ladder starts over instead of exiting: " + exits);
        assertTrue(sup.history().stream().anyMatch(l -> l.startsWith("round failed")), sup.history().toString());
        assertTrue(fake.reopens > 1, "more than one round ran: " + fake.reopens);
        vs.advance(Duration.ofMinutes(2)); // past the 2-minute budget
        assertEquals(1, exits.size(), exits.toString());
        assertTrue(exits.get(0).startsWith("75 "), exits.get(0));
        List<String> h = sup.history();
        assertTrue(h.get(h.size() - 1).startsWith("exit: no answer within the recovery budget"), h.toString());
        assertEquals(List.of(DigitalState.LOW, DigitalState.HIGH), pinHistory.subList(0, 2), "the GPIO rung was tried");
        assertFalse(sup.inProgress());
    }

    @Test
    void exitsWhenTheBudgetRunsOut() {
        RecoverySupervisor sup = supervisor(new RecoveryConfig(Duration.ofSeconds(4), Duration.ofSeconds(10),
                Duration.ofSeconds(5), 3));
        wedge();
        vs.advance(Duration.ofSeconds(6));
        long started = vs.clock().nanos();
        vs.advance(Duration.ofSeconds(5));
        assertEquals(1, exits.size());
        assertTrue(exits.get(0).startsWith("3 "), exits.get(0));
        assertTrue(sup.history().get(sup.history().size() - 1).contains("budget"));
        assertTrue(started > 0);
        vs.advance(Duration.ofMinutes(1));
        assertEquals(1, exits.size(), "exit is called once");
    }

    @Test
    void aSecondDownWhileRecoveringDoesNotStartAnother() {
        wireResetLineToDongle();
        RecoverySupervisor sup = supervisor(RecoveryConfig.DEFAULT);
        wedge();
        vs.advance(Duration.ofSeconds(7));
        sup.trigger("again");
        fake.unplug();
        fake.reopen(true);
        vs.advance(Duration.ofSeconds(30));
        assertEquals(1, sup.history().stream().filter(l -> l.startsWith("start")).count());
        assertEquals(1, sup.recoveries());
    }

    @Test
    void configRejectsZeroExitStatus() {
        try {
            new RecoveryConfig(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 0);
            throw new AssertionError("exit status 0 would not make systemd restart the hub");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("non-zero"));
        }
    }
}
