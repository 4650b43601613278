package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.link.ByteLink;
import io.tetheritall.hub.radios.link.LinkState;
import io.tetheritall.hub.radios.time.NamedThreadFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Test support: the device end of a TCP "serial" port on 127.0.0.1 (as ser2net or a network
 * coordinator would offer), so that zigbee-herdsman can talk to the simulator with a
 * {@code tcp://127.0.0.1:PORT} path. One client at a time; a new client replaces the old one.
 */
final class TcpServerLink implements ByteLink {
    private final ServerSocket server;
    private volatile Socket client;
    private volatile OutputStream out;
    private volatile boolean closed;

    TcpServerLink(int port) throws IOException {
        server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public String name() {
        return "tcp-server:" + server.getLocalPort();
    }

    @Override
    public void open(Listener l) {
        new NamedThreadFactory("tcp-sim-accept").newThread(() -> {
            while (!closed) {
                try {
                    Socket s = server.accept();
                    s.setTcpNoDelay(true);
                    client = s;
                    out = s.getOutputStream();
                    l.onState(LinkState.UP, "client connected");
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[512];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        l.onBytes(buf, 0, n);
                    }
                    l.onState(LinkState.DOWN, "client gone");
                } catch (IOException e) {
                    if (!closed) {
                        l.onState(LinkState.DOWN, e.toString());
                    }
                }
            }
        }).start();
    }

    @Override
    public void write(byte[] data) throws IOException {
        OutputStream o = out;
        if (o == null) {
            throw new IOException("no client");
        }
        synchronized (this) {
            o.write(data);
            o.flush();
        }
    }

    @Override
    public boolean isUp() {
        return out != null;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
            if (client != null) {
                client.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Runs a real-time simulator on a TCP port: {@code PORT DEVICES SEED [NVFILE]}; fault commands on stdin. */
    public static void main(String[] args) throws Exception {
        TcpServerLink link = new TcpServerLink(Integer.parseInt(args[0]));
        ZnpSimulatorConfig.Builder b = ZnpSimulatorConfig.builder().deviceCount(Integer.parseInt(args[1]))
                .seed(Long.parseLong(args[2])).baud(115200);
        if (args.length > 3) {
            b.nvFile(java.nio.file.Path.of(args[3]));
        }
        ZnpSimulator sim = ZnpSimulator.realTime(b.build(), link);
        sim.start();
        System.out.println("listening on " + link.port());
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null) {
            String r = ZnpSimulatorMain.command(sim, line);
            if (r == null) {
                break;
            }
            System.out.println(r);
        }
        Thread.currentThread().join();
    }
}
