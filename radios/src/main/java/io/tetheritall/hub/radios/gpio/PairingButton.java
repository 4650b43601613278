package io.tetheritall.hub.radios.gpio;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import io.tetheritall.hub.radios.api.ZigbeeRadio;
import io.tetheritall.hub.radios.time.HubClock;
import org.tinylog.Logger;

import java.time.Duration;

/**
 * An optional pairing button: a debounced press calls back (normally: open permit join for 60 s).
 *
 * <p>Debounced in software on the injected clock, because not every provider honours pi4j's debounce
 * setting (the mock does not) and a mechanical button bounces for a few milliseconds: an edge closer than
 * {@code debounce} to the previous accepted edge is ignored.
 */
public final class PairingButton implements AutoCloseable {
    private final DigitalInput in;
    private final HubClock clock;
    private final long debounceNanos;
    private final DigitalState pressed;
    private final Runnable onPress;
    private final DigitalStateChangeListener listener;
    private long lastEdge = Long.MIN_VALUE / 2;
    private int presses;

    /**
     * @param pressed the level a press produces: LOW for a button to ground with the pull-up on
     */
    public PairingButton(DigitalInput in, HubClock clock, Duration debounce, DigitalState pressed, Runnable onPress) {
        this.in = in;
        this.clock = clock;
        this.debounceNanos = debounce.toNanos();
        this.pressed = pressed;
        this.onPress = onPress;
        this.listener = e -> edge(e.state());
        in.addListener(listener);
    }

    /** The usual action: open the network for joining for {@code duration} (60 s). */
    public static Runnable permitJoin(ZigbeeRadio radio, Duration duration) {
        return () -> radio.permitJoin(duration, -1).whenComplete((v, t) -> {
            if (t != null) {
                Logger.warn("pairing button: permit join failed: {}", t.toString());
            } else {
                Logger.info("pairing button: network open for joining for {}", duration);
            }
        });
    }

    private synchronized void edge(DigitalState state) {
        long now = clock.nanos();
        if (now - lastEdge < debounceNanos) {
            return;
        }
        lastEdge = now;
        if (state == pressed) {
            presses++;
            try {
                onPress.run();
            } catch (RuntimeException e) {
                Logger.error(e, "pairing button action failed");
            }
        }
    }

    /** Accepted presses so far. */
    public synchronized int presses() {
        return presses;
    }

    @Override
    public void close() {
        in.removeListener(listener);
    }
}
