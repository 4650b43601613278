package io.tetheritall.hub.radios.link;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {
    private final Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 2.0, 0.25);

    @Test
    void growsExponentiallyFromInitialThenStaysAtTheCap() {
        assertEquals(Duration.ofMillis(100), b.delay(0, 0.0));
        assertEquals(Duration.ofMillis(200), b.delay(1, 0.0));
        assertEquals(Duration.ofMillis(400), b.delay(2, 0.0));
        assertEquals(Duration.ofMillis(3200), b.delay(5, 0.0));
        assertEquals(Duration.ofSeconds(5), b.delay(6, 0.0)); // 6.4 s capped
        assertEquals(Duration.ofSeconds(5), b.delay(1000, 0.0)); // 2^1000 overflows to infinity: still the cap
        assertEquals(Duration.ofSeconds(5), b.delay(Integer.MAX_VALUE, 0.0));
    }

    @Test
    void jitterOnlyShortensAndByAtMostTheFraction() {
        long nearMin = b.delayNanos(2, 0.9999); // random < 1: just above 400 ms * (1 - 0.25)
        assertTrue(nearMin >= Duration.ofMillis(300).toNanos() && nearMin < Duration.ofMillis(301).toNanos(), "" + nearMin);
        assertEquals(Duration.ofMillis(350), b.delay(2, 0.5)); // 400 * (1 - 0.25 * 0.5)
        for (int attempt = 0; attempt < 20; attempt++) {
            long full = b.delayNanos(attempt, 0.0);
            for (double r = 0.0; r < 1.0; r += 0.01) {
                long d = b.delayNanos(attempt, r);
                assertTrue(d <= full && d >= (long) (full * 0.75) - 1, attempt + "/" + r + ": " + d);
                assertTrue(d <= Duration.ofSeconds(5).toNanos());
            }
        }
    }

    @Test
    void noJitterMeansTheExactSchedule() {
        Backoff exact = new Backoff(Duration.ofMillis(10), Duration.ofMillis(35), 3.0, 0.0);
        assertEquals(Duration.ofMillis(10), exact.delay(0, 0.99));
        assertEquals(Duration.ofMillis(30), exact.delay(1, 0.99));
        assertEquals(Duration.ofMillis(35), exact.delay(2, 0.99));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 1.5));
        assertThrows(IllegalArgumentException.class, () -> b.delay(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> b.delay(0, 1.0));
        assertThrows(IllegalArgumentException.class, () -> b.delay(0, -0.1));
    }
}
