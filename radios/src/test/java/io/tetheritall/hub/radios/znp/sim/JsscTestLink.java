package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.link.ByteLink;
import io.tetheritall.hub.radios.link.LinkState;
import jssc.SerialPort;
import jssc.SerialPortEvent;
import jssc.SerialPortException;

import java.io.IOException;

/**
 * Test support only: a bare jssc port as a {@link ByteLink} (the hub's real SerialLink is another
 * engineer's; this one exists so the simulator can be tested on a socat pty pair here).
 * {@code setParams} returning false on a pty is expected (no modem lines) and ignored.
 */
final class JsscTestLink implements ByteLink {
    private final SerialPort port;

    JsscTestLink(String path) {
        port = new SerialPort(path);
    }

    @Override
    public String name() {
        return port.getPortName();
    }

    @Override
    public void open(Listener l) throws IOException {
        try {
            port.openPort();
            port.setParams(115200, 8, 1, 0); // false on a pty although it applies
            port.addEventListener(ev -> {
                if (ev.getEventType() == SerialPortEvent.RXCHAR && ev.getEventValue() > 0) {
                    try {
                        byte[] b = port.readBytes(Math.min(ev.getEventValue(), 4095));
                        if (b != null) {
                            l.onBytes(b, 0, b.length);
                        }
                    } catch (SerialPortException e) {
                        l.onState(LinkState.DOWN, e.toString());
                    }
                }
            }, SerialPort.MASK_RXCHAR);
            l.onState(LinkState.UP, "opened");
        } catch (SerialPortException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void write(byte[] data) throws IOException {
        try {
            if (!port.writeBytes(data)) {
                throw new IOException("write failed on " + name());
            }
        } catch (SerialPortException e) {
            throw new IOException(e);
        }
    }

    @Override
    public boolean isUp() {
        return port.isOpened();
    }

    @Override
    public void close() {
        try {
            if (port.isOpened()) {
                port.closePort();
            }
        } catch (SerialPortException ignored) {
            // closing anyway
        }
    }
}
