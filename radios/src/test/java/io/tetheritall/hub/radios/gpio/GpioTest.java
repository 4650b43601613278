package io.tetheritall.hub.radios.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import io.tetheritall.hub.radios.api.IncomingMessage;
import io.tetheritall.hub.radios.api.RadioState;
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
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reset pin, status LED and pairing button on pi4j's mock provider, with virtual time. */
class GpioTest {
    private final VirtualScheduler vs = new VirtualScheduler();
    private final Context pi4j = GpioFactory.mock();

    @AfterEach
    void shutdown() {
        pi4j.shutdown();
    }

    private static List<DigitalState> history(DigitalOutput out) {
        List<DigitalState> h = new ArrayList<>();
        out.addListener(e -> h.add(e.state()));
        return h;
    }

    @Test
    void mockContextHasOnlyMockProviders() {
        DigitalOutput out = GpioFactory.output(pi4j, "probe-out", 5, DigitalState.LOW, DigitalState.LOW);
        assertTrue(out.provider().id().startsWith("mock"), out.provider().id());
    }

    @Test
    void resetPinPulsesLowThenReleases() {
        DigitalOutput out = GpioFactory.output(pi4j, "radio-reset", 17, DigitalState.HIGH, DigitalState.HIGH);
        List<DigitalState> h = history(out);
        ResetPin pin = new ResetPin(out, vs, Duration.ofMillis(100));
        CompletableFuture<Void> done = pin.pulse();
        assertEquals(DigitalState.LOW, out.state());
        assertFalse(done.isDone());
        assertTrue(pin.pulse().isCompletedExceptionally(), "one pulse at a time");
        vs.advance(Duration.ofMillis(99));
        assertEquals(DigitalState.LOW, out.state());
        vs.advance(Duration.ofMillis(1));
        assertEquals(DigitalState.HIGH, out.state());
        assertTrue(done.isDone() && !done.isCompletedExceptionally());
        assertEquals(List.of(DigitalState.LOW, DigitalState.HIGH), h);
        assertEquals(1, pin.pulses());
    }

    @Test
    void ledBlinksOnTrafficAndStaysOnWhileFaulted() {
        DigitalOutput out = GpioFactory.output(pi4j, "status-led", 27, DigitalState.LOW, DigitalState.LOW);
        List<DigitalState> h = history(out);
        StatusLed led = new StatusLed(out, vs, Duration.ofMillis(50));
        led.traffic();
        led.traffic();
        assertEquals(DigitalState.HIGH, out.state());
        vs.advance(Duration.ofMillis(50));
        assertEquals(DigitalState.LOW, out.state());
        assertEquals(List.of(DigitalState.HIGH, DigitalState.LOW), h, "traffic during a blink is absorbed");

        var listener = led.listener();
        listener.stateChanged(RadioState.DOWN, "test");
        assertEquals(DigitalState.HIGH, out.state());
        listener.messageReceived(new IncomingMessage(1, 1, 1, 6, 0, false, 100, new byte[0]));
        vs.advance(Duration.ofSeconds(1));
        assertEquals(DigitalState.HIGH, out.state(), "steady on while faulted");
        listener.stateChanged(RadioState.UP, "test");
        assertEquals(DigitalState.LOW, out.state());
    }

    @Test
    void ledBlinksOnOutgoingTraffic() {
        DigitalOutput out = GpioFactory.output(pi4j, "status-led2", 26, DigitalState.LOW, DigitalState.LOW);
        List<DigitalState> h = history(out);
        StatusLed led = new StatusLed(out, vs, Duration.ofMillis(50));
        FakeCoordinator fake = new FakeCoordinator("z", vs);
        ScheduledRadio radio = new ScheduledRadio(fake, SchedulerConfig.defaults(), vs);
        radio.onTraffic(led::traffic);
        radio.send(io.tetheritall.hub.radios.api.OutgoingMessage.unicast(0x10, 1, 6, new byte[] {1}));
        vs.advance(Duration.ofMillis(100));
        radio.send(io.tetheritall.hub.radios.api.OutgoingMessage.unicast(0x11, 1, 6, new byte[] {1}));
        vs.advance(Duration.ofMillis(100));
        assertEquals(List.of(DigitalState.HIGH, DigitalState.LOW, DigitalState.HIGH, DigitalState.LOW), h);
    }

    @Test
    void pairingButtonIsDebouncedAndOpensPermitJoin() {
        DigitalInput in = GpioFactory.input(pi4j, "pair-button", 22, PullResistance.PULL_UP);
        MockDigitalInput mock = (MockDigitalInput) in;
        mock.mockState(DigitalState.HIGH);
        FakeCoordinator fake = new FakeCoordinator("z", vs);
        ScheduledRadio radio = new ScheduledRadio(fake, SchedulerConfig.defaults(), vs);
        AtomicInteger calls = new AtomicInteger();
        Runnable permit = PairingButton.permitJoin(radio, Duration.ofSeconds(60));
        PairingButton button = new PairingButton(in, vs.clock(), Duration.ofMillis(30), DigitalState.LOW, () -> {
            calls.incrementAndGet();
            permit.run();
        });
        vs.advance(Duration.ofSeconds(1));
        // A press that bounces for a few milliseconds.
        mock.mockState(DigitalState.LOW);
        vs.advance(Duration.ofMillis(2));
        mock.mockState(DigitalState.HIGH);
        vs.advance(Duration.ofMillis(2));
        mock.mockState(DigitalState.LOW);
        assertEquals(1, calls.get(), "bounces are not presses");
        vs.advance(Duration.ofMillis(500));
        mock.mockState(DigitalState.HIGH);
        vs.advance(Duration.ofMillis(500));
        mock.mockState(DigitalState.LOW);
        assertEquals(2, calls.get());
        assertEquals(2, button.presses());
        vs.advanceUntilIdle(Duration.ofSeconds(5));
        assertEquals(2, fake.attempts.get(0xFFFC), "each press opened the network (ZDO broadcast to routers)");
        button.close();
        vs.advance(Duration.ofSeconds(1));
        mock.mockState(DigitalState.HIGH);
        vs.advance(Duration.ofSeconds(1));
        mock.mockState(DigitalState.LOW);
        assertEquals(2, calls.get(), "closed button does not call back");
    }

    @Test
    void gpiodBackendIsNeverSilentlyTheMock() {
        assertTrue(GpioFactory.gpiodAvailable(), "pi4j-plugin-gpiod is a runtime dependency");
        // On a build host without /dev/gpiochip the gpiod context may fail to build or to create a pin;
        // what must never happen is a mock pin.
        Context ctx = null;
        try {
            ctx = GpioFactory.gpiod();
            DigitalOutput out = GpioFactory.output(ctx, "radio-reset", 17, DigitalState.HIGH, DigitalState.HIGH);
            assertFalse(out.provider().id().startsWith("mock"), out.provider().id());
        } catch (RuntimeException | LinkageError expectedOnNonPi) {
            assertFalse(String.valueOf(expectedOnNonPi.getMessage()).contains("mock"), expectedOnNonPi.toString());
        } finally {
            if (ctx != null) {
                try {
                    ctx.shutdown();
                } catch (RuntimeException ignored) {
                    // best effort on a host without GPIO
                }
            }
        }
    }
}
