package io.tetheritall.hub.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tetheritall.hub.daemon.config.Definition;
import io.tetheritall.hub.daemon.config.HubKeys;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(Path.of("target/tmp"));
        dir = Files.createTempDirectory(Path.of("target/tmp"), "main");
    }

    private Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("HUB_PROFILE", "testing");
        m.put("HUB_STATE_DIR", dir.resolve("state").toString());
        m.put("HUB_LOG_DIR", dir.resolve("log").toString());
        // A config file that does not exist, named explicitly, would be an error: point at an empty one.
        m.put("HUB_CONFIG", emptyConf().toString());
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private Path emptyConf() {
        try {
            return Files.writeString(dir.resolve("empty.conf"), "# nothing\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private int exec(Subcommands commands, Map<String, String> env, String... args) {
        CommandContext ctx = new CommandContext(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Main(commands, ctx).execute(args);
    }

    private int exec(Map<String, String> env, String... args) {
        return exec(Subcommands.defaults(new DefaultWiring(), new RadioSimulators()), env, args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void versionAndHelp() {
        assertEquals(0, exec(env(), "version"));
        assertTrue(out().startsWith("tetheritall-hub "), out());
        assertEquals(0, exec(env(), "--help"));
        for (String c : List.of("run", "check-config", "simulate-radio", "version", "help")) {
            assertTrue(out().contains("  " + c), c);
        }
        assertEquals(0, exec(env(), "help", "run"));
        assertTrue(out().contains("--simulate"));
    }

    @Test
    void helpConfigListsEverySettingAsACommentedDefault() {
        assertEquals(0, exec(env(), "help", "config"));
        for (Definition<?> d : HubKeys.ALL) {
            assertTrue(out().contains("\n#" + d.key() + "=") || out().startsWith("# " + d.doc()), d.key());
        }
        assertTrue(out().contains("#CACHE_EVICTION_POLICY=lru\n"));
        assertTrue(out().contains("#RATE_LIMIT_PER_SECOND=2.0\n"));
        assertTrue(out().contains("#HTTP_BIND=127.0.0.1:8080\n"));
        // Every line is a comment or blank, so the output can be shipped as a conffile as is.
        out().lines().forEach(l -> assertTrue(l.isEmpty() || l.startsWith("#"), l));
    }

    @Test
    void unknownCommandsAndOptionsAreUsageErrors() {
        assertEquals(ExitCodes.USAGE, exec(env(), "frobnicate"));
        assertTrue(err().contains("unknown command 'frobnicate'"));
        assertEquals(ExitCodes.USAGE, exec(env(), "run", "--bogus"));
        assertTrue(err().contains("unexpected argument '--bogus'"));
        assertEquals(ExitCodes.USAGE, exec(env(), "check-config", "extra"));
    }

    @Test
    void checkConfigPrintsMaskedValuesWithOrigins() throws IOException {
        Path f = Files.writeString(dir.resolve("hub.conf"), "MQTT_URL=mqtt://127.0.0.1:1883\nMQTT_USERNAME=hub\n");
        assertEquals(0, exec(env("MQTT_PASSWORD", "s3cret-pw"), "check-config", "--config", f.toString()));
        assertTrue(out().contains("# profile testing, config file " + f), out());
        assertTrue(out().contains("MQTT_URL=mqtt://127.0.0.1:1883  # file " + f + ":1"), out());
        assertTrue(out().contains("MQTT_PASSWORD=******  # env"), out());
        assertFalse(out().contains("s3cret"), out());
        assertFalse(Files.exists(dir.resolve("state")), "check-config writes nothing");
    }

    @Test
    void checkConfigExits2WithOneLinePerError() {
        assertEquals(ExitCodes.BAD_CONFIG, exec(env("CACHE_EVICTION_POLICY", "lfru", "ZIGBEE_CHANNEL", "30"),
                "check-config"));
        List<String> lines = err().lines().toList();
        assertTrue(lines.contains("error: CACHE_EVICTION_POLICY='lfru' (from env): must be one of lru, lfu, ttl"), err());
        assertTrue(lines.contains("error: ZIGBEE_CHANNEL='30' (from env): must be an integer in [11, 26]"), err());
        assertEquals("", out());
    }

    @Test
    void runWithBadConfigExits2BeforeStartingAnything() {
        AtomicReference<Boolean> wired = new AtomicReference<>(false);
        Subcommands s = new Subcommands().register(new RunCommand(ctx -> wired.set(true), false));
        assertEquals(ExitCodes.BAD_CONFIG, exec(s, env("HTTP_BIND", "everywhere")));
        assertFalse(wired.get());
        assertTrue(err().contains("HTTP_BIND='everywhere' (from env)"), err());
    }

    @Test
    void runStartsTheWiredComponentsServesHealthAndExitsWithTheRequestedCode() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        RuntimeWiring wiring = ctx -> {
            new DefaultWiring().wire(ctx);
            ctx.runtime().add(new Component() {
                @Override
                public String name() {
                    return "radio-supervisor";
                }

                @Override
                public void start() {
                    // Before giving up, look at the hub from outside, as an operator would.
                    DefaultWiring.HealthHttpComponent http = (DefaultWiring.HealthHttpComponent) ctx.runtime()
                            .components().get(0);
                    Thread t = new Thread(() -> {
                        try {
                            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + http.port() + "/performance/health")).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            seen.set(r.body());
                        } catch (Exception e) {
                            seen.set("failed: " + e);
                        } finally {
                            ctx.runtime().requestExit(ExitCodes.RADIO_RECOVERY_EXHAUSTED, "test: radio gone");
                        }
                    }, "test-operator");
                    t.start();
                }

                @Override
                public void stop() {
                }
            });
        };
        Subcommands s = new Subcommands().register(new RunCommand(wiring, false));
        // A coordinator that is not there: the radio keeps reconnecting in the background, the rest runs.
        assertEquals(ExitCodes.RADIO_RECOVERY_EXHAUSTED, exec(s, env("HUB_ID", "main-test",
                "ZIGBEE_PORT", "tcp://127.0.0.1:9", "COAP_BIND", "off", "RECOVERY_EXIT_AFTER", "0"), "run"));
        assertTrue(seen.get().contains("\"hub_id\":\"main-test\""), seen.get());
        assertTrue(seen.get().contains("\"rate_limiter\":{\"requests_per_minute\":120"), seen.get());
        assertTrue(seen.get().contains("\"max_size\":10000"), seen.get());
    }

    @Test
    void runExits4WhenAComponentCannotStart() {
        RuntimeWiring wiring = ctx -> ctx.runtime().add(new Component() {
            @Override
            public String name() {
                return "store";
            }

            @Override
            public void start() throws IOException {
                throw new IOException("state dir not writable");
            }

            @Override
            public void stop() {
            }
        });
        Subcommands s = new Subcommands().register(new RunCommand(wiring, false));
        assertEquals(ExitCodes.START_FAILED, exec(s, env(), "run"));
    }

    @Test
    void simulateRadioDispatchesToTheRegisteredSimulator() {
        assertEquals(ExitCodes.UNAVAILABLE, exec(env(), "simulate-radio", "znp", "--tty", "/tmp/x"));
        assertTrue(err().contains("no 'znp' simulator in this build"), err());
        assertEquals(ExitCodes.USAGE, exec(env(), "simulate-radio"));

        AtomicReference<List<String>> got = new AtomicReference<>();
        RadioSimulators sims = new RadioSimulators().register("znp", a -> {
            got.set(List.of(a));
            return 0;
        });
        assertEquals(0, exec(Subcommands.defaults(new DefaultWiring(), sims), env(),
                "simulate-radio", "znp", "--tty", "/tmp/ttyV0", "--devices", "20", "--seed", "42"));
        assertEquals(List.of("--tty", "/tmp/ttyV0", "--devices", "20", "--seed", "42"), got.get());
    }

    @Test
    void internalErrorsExit1() {
        Subcommands s = new Subcommands().register(new Subcommand() {
            @Override
            public String name() {
                return "run";
            }

            @Override
            public String summary() {
                return "";
            }

            @Override
            public String usage() {
                return "";
            }

            @Override
            public int run(List<String> args, CommandContext ctx) {
                throw new IllegalStateException("bug");
            }
        });
        assertEquals(ExitCodes.INTERNAL_ERROR, exec(s, env()));
        assertTrue(err().contains("internal error: java.lang.IllegalStateException: bug"));
    }
}
