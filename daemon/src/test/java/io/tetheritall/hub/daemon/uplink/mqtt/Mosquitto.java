package io.tetheritall.hub.daemon.uplink.mqtt;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real mosquitto on a free loopback port, started by the test; {@link #stop()}/{@link #start()} simulate outages. */
public final class Mosquitto implements AutoCloseable {
    private final Path conf;
    private final int port;
    private Process process;

    public static String binary() {
        for (String p : List.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }

    public Mosquitto() throws IOException {
        this(List.of());
    }

    /** With extra lines for the listener (e.g. TLS settings). */
    public Mosquitto(List<String> extra) throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Path.of("target", "tmp");
        Files.createDirectories(dir);
        conf = dir.resolve("mosquitto-" + port + ".conf");
        Files.writeString(conf, String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "set_tcp_nodelay true",
                "max_queued_messages 0",
                "persistence false",
                "log_dest none",
                String.join("\n", extra),
                ""));
    }

    public int port() {
        return port;
    }

    public void start() throws Exception {
        process = new ProcessBuilder(binary(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("mosquitto exited with " + process.exitValue());
                }
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("mosquitto did not open port " + port);
    }

    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
