package io.tetheritall.hub.radios.gpio;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.provider.Provider;
import org.tinylog.Logger;

/**
 * Builds pi4j contexts with EXPLICIT providers, never {@code Pi4J.newAutoContext()}.
 *
 * <p>Why: if {@code pi4j-plugin-mock} is on the runtime classpath of a real Pi, the auto context picks the
 * mock providers (priority 1000) over gpiod (150), and the radio's reset pin would silently not be
 * driven. So the backend is chosen by the caller: {@link Backend#MOCK} for tests and {@code --simulate},
 * {@link Backend#GPIOD} (the Linux GPIO character device, {@code /dev/gpiochip*}) on hardware. The gpiod
 * plugin is a runtime-only dependency and is loaded by name, so this class compiles and tests without it
 * and a missing plugin is a clear error rather than a silent fallback.
 */
public final class GpioFactory {
    /** Which GPIO implementation drives the pins. */
    public enum Backend {
        /** pi4j's in-memory mock: pins keep state, nothing is driven. Tests and {@code --simulate}. */
        MOCK,
        /** libgpiod through pi4j-plugin-gpiod (Raspberry Pi OS Bookworm or newer: glibc >= 2.33). */
        GPIOD
    }

    static final String GPIOD_OUT = "com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider";
    static final String GPIOD_IN = "com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider";

    private GpioFactory() {
    }

    /** A context for {@code backend}; shut it down with {@link Context#shutdown()} when the hub stops. */
    public static Context create(Backend backend) {
        return switch (backend) {
            case MOCK -> mock();
            case GPIOD -> gpiod();
        };
    }

    /** A context with only pi4j's mock platform and digital I/O providers. */
    public static Context mock() {
        Logger.info("GPIO: mock provider (simulate/test): pins are not driven");
        return Pi4J.newContextBuilder()
                .noAutoDetect()
                .add(new MockPlatform())
                .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance())
                .build();
    }

    /**
     * A context with only the gpiod digital I/O providers.
     *
     * @throws IllegalStateException if pi4j-plugin-gpiod is not on the classpath
     */
    public static Context gpiod() {
        Provider<?, ?, ?> out = load(GPIOD_OUT);
        Provider<?, ?, ?> in = load(GPIOD_IN);
        Logger.info("GPIO: gpiod provider");
        return Pi4J.newContextBuilder().noAutoDetect().add(in, out).build();
    }

    /** Whether the gpiod plugin is on the classpath (it is loaded by name). */
    public static boolean gpiodAvailable() {
        try {
            Class.forName(GPIOD_OUT, false, GpioFactory.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static Provider<?, ?, ?> load(String className) {
        try {
            Class<?> c = Class.forName(className, true, GpioFactory.class.getClassLoader());
            return (Provider<?, ?, ?>) c.getMethod("newInstance").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("pi4j gpiod plugin not usable (" + className + "): add "
                    + "com.pi4j:pi4j-plugin-gpiod to the runtime classpath, or run with --simulate", e);
        }
    }

    /** A digital output on BCM pin {@code bcm}, set to {@code initial} now and to {@code shutdown} on context shutdown. */
    public static DigitalOutput output(Context ctx, String id, int bcm, DigitalState initial, DigitalState shutdown) {
        return ctx.dout().create(DigitalOutput.newConfigBuilder(ctx).id(id).name(id).address(bcm)
                .initial(initial).shutdown(shutdown).build());
    }

    /** A digital input on BCM pin {@code bcm} with the given pull resistor. */
    public static DigitalInput input(Context ctx, String id, int bcm, PullResistance pull) {
        return ctx.din().create(DigitalInput.newConfigBuilder(ctx).id(id).name(id).address(bcm).pull(pull).build());
    }
}
