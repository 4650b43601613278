package io.tetheritall.hub.radios.gpio;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import io.tetheritall.hub.radios.time.TaskScheduler;
import org.tinylog.Logger;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The radio's reset line, wired to a GPIO: a hard reset when the firmware no longer answers over MT.
 *
 * <p>The CC26x2/CC13x2 {@code nRESET} input is active low: the pin idles high and a reset holds it low
 * for {@code pulse} (TI asks for a few µs; 50-100 ms is safe for level shifters and RC filters on USB
 * sticks with the line broken out). The release is a timer on the radio's {@link TaskScheduler}, not a
 * sleep (pi4j's own {@code pulse()} blocks the calling thread).
 */
public final class ResetPin {
    private final DigitalOutput out;
    private final TaskScheduler scheduler;
    private final Duration pulse;
    private int pulses;
    private boolean active;

    /** @param out an output created with initial state HIGH (see {@link GpioFactory#output}) */
    public ResetPin(DigitalOutput out, TaskScheduler scheduler, Duration pulse) {
        if (pulse.isNegative() || pulse.isZero()) {
            throw new IllegalArgumentException("pulse must be positive, but was " + pulse);
        }
        this.out = out;
        this.scheduler = scheduler;
        this.pulse = pulse;
    }

    /** Pulls the line low for the pulse length; completes once it is released. A pulse in progress is reused. */
    public CompletableFuture<Void> pulse() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        scheduler.execute(() -> {
            if (active) {
                done.completeExceptionally(new IllegalStateException("reset pulse already in progress"));
                return;
            }
            try {
                active = true;
                pulses++;
                Logger.warn("GPIO {}: pulsing the radio's reset line low for {}", out.id(), pulse);
                out.state(DigitalState.LOW);
            } catch (RuntimeException e) {
                active = false;
                done.completeExceptionally(e);
                return;
            }
            scheduler.schedule(() -> {
                active = false;
                try {
                    out.state(DigitalState.HIGH);
                    done.complete(null);
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            }, pulse.toNanos());
        });
        return done;
    }

    /** Pulses so far. */
    public int pulses() {
        return pulses;
    }
}
