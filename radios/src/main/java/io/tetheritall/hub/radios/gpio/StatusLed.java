package io.tetheritall.hub.radios.gpio;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import io.tetheritall.hub.radios.api.IncomingMessage;
import io.tetheritall.hub.radios.api.RadioListener;
import io.tetheritall.hub.radios.api.RadioState;
import io.tetheritall.hub.radios.time.TaskScheduler;

import java.time.Duration;

/**
 * An optional status LED: a short blink on radio traffic, steady on while the radio is at fault.
 *
 * <p>Traffic during a blink is absorbed by it, so a busy network does not turn into thousands of pin
 * writes per second. All pin writes happen on the given scheduler's thread.
 */
public final class StatusLed {
    private final DigitalOutput out;
    private final TaskScheduler scheduler;
    private final Duration blink;
    private boolean fault;
    private boolean blinking;

    public StatusLed(DigitalOutput out, TaskScheduler scheduler, Duration blink) {
        this.out = out;
        this.scheduler = scheduler;
        this.blink = blink;
    }

    /** Something went over the air: blink once (unless a fault holds the LED on). */
    public void traffic() {
        scheduler.execute(() -> {
            if (fault || blinking) {
                return;
            }
            blinking = true;
            out.state(DigitalState.HIGH);
            scheduler.schedule(() -> {
                blinking = false;
                if (!fault) {
                    out.state(DigitalState.LOW);
                }
            }, blink.toNanos());
        });
    }

    /** Steady on while {@code on}; off when the fault clears. */
    public void fault(boolean on) {
        scheduler.execute(() -> {
            fault = on;
            out.state(on ? DigitalState.HIGH : DigitalState.LOW);
        });
    }

    /** A listener that blinks on every received frame and shows the radio's DOWN state as a fault. */
    public RadioListener listener() {
        return new RadioListener() {
            @Override
            public void messageReceived(IncomingMessage message) {
                traffic();
            }

            @Override
            public void stateChanged(RadioState state, String reason) {
                fault(state == RadioState.DOWN);
            }
        };
    }
}
