package io.tetheritall.hub.radios.znp.sim;

import static io.tetheritall.hub.radios.znp.sim.SimZcl.*;

/**
 * Level Control and Color Control commands of one {@link SimDevice}, and the level "move" in progress.
 * Attribute values live in the device. Not thread-safe: called under the simulator's lock.
 */
final class SimDeviceLighting {
    private final SimDevice d;

    // level "move" in progress (ZCL Level Control move command), settled lazily from the clock
    private boolean moving;
    private long moveStart;
    private int moveFrom;
    private int moveRate;
    private boolean moveWithOnOff;

    SimDeviceLighting(SimDevice d) {
        this.d = d;
    }

    /** ZCL §3.10.2.2.3: commands without on/off act on an "off" device only when ExecuteIfOff says so. */
    private boolean executeIfOff(SimBytes.R r, int cluster) {
        long opts = d.num(cluster, 0x000F);
        if (r.remaining() >= 2) {
            int mask = r.u8();
            int override = r.u8();
            if ((mask & 1) != 0) {
                return (override & 1) != 0;
            }
        }
        return (opts & 1) != 0;
    }

    private boolean isOn() {
        return !d.hasCluster(0x0006) || d.num(0x0006, 0) != 0;
    }

    int levelCommand(Header h, SimBytes.R r, long now) {
        int cmd = h.cmd();
        boolean withOnOff = cmd >= 0x04;
        int base = withOnOff ? cmd - 4 : cmd;
        switch (base) {
            case 0x00 -> {
                int level = r.u8();
                r.u16();
                if (!withOnOff && !isOn() && !executeIfOff(r, 0x0008)) {
                    return SUCCESS;
                }
                applyLevel(Math.max(1, Math.min(254, level)), withOnOff);
                return SUCCESS;
            }
            case 0x01 -> {
                int mode = r.u8();
                int rate = r.u8();
                if (!withOnOff && !isOn() && !executeIfOff(r, 0x0008)) {
                    return SUCCESS;
                }
                if (rate == 0) {
                    return SUCCESS;
                }
                if (rate == 0xFF) {
                    rate = 100;
                }
                if (withOnOff && mode == 0) {
                    d.set(0x0006, 0, 1);
                }
                moving = true;
                moveStart = now;
                moveFrom = (int) d.num(0x0008, 0);
                moveRate = mode == 0 ? rate : -rate;
                moveWithOnOff = withOnOff;
                return SUCCESS;
            }
            case 0x02 -> {
                int mode = r.u8();
                int step = r.u8();
                r.u16();
                if (!withOnOff && !isOn() && !executeIfOff(r, 0x0008)) {
                    return SUCCESS;
                }
                int cur = (int) d.num(0x0008, 0);
                applyLevel(Math.max(1, Math.min(254, mode == 0 ? cur + step : cur - step)), withOnOff);
                return SUCCESS;
            }
            case 0x03 -> {
                moving = false;
                return SUCCESS;
            }
            default -> {
                return UNSUP_CLUSTER_COMMAND;
            }
        }
    }

    private void applyLevel(int level, boolean withOnOff) {
        moving = false;
        d.set(0x0008, 0, level);
        if (withOnOff && d.hasCluster(0x0006)) {
            d.set(0x0006, 0, level > 1 ? 1 : 0);
        }
    }

    /** Brings currentLevel up to date with a move in progress (rate in units per second). */
    void settleLevel(long now) {
        if (!moving) {
            return;
        }
        double secs = (now - moveStart) / 1e9;
        long target = Math.round(moveFrom + moveRate * secs);
        if (target >= 254 || target <= 1) {
            moving = false;
        }
        int level = (int) Math.max(1, Math.min(254, target));
        d.set(0x0008, 0, level);
        if (moveWithOnOff && level <= 1 && moveRate < 0) {
            d.set(0x0006, 0, 0);
        }
    }

    // ------------------------------------------------------------------ colour control

    int colorCommand(Header h, SimBytes.R r) {
        int caps = d.kind.colorCapabilities();
        int cmd = h.cmd();
        int need = switch (cmd) {
            case 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06 -> 0x01;
            case 0x40, 0x41, 0x42, 0x43 -> 0x02;
            case 0x07, 0x08, 0x09 -> 0x08;
            case 0x0A, 0x4B, 0x4C -> 0x10;
            case 0x47 -> 0;
            default -> -1;
        };
        if (need < 0 || (need & caps) != need) {
            return UNSUP_CLUSTER_COMMAND;
        }
        switch (cmd) {
            case 0x00 -> { // move to hue: hue, direction, transition time
                int hue = r.u8();
                r.u8();
                r.u16();
                if (gate(r)) {
                    setHs(Math.min(254, hue), -1);
                }
            }
            case 0x02 -> { // step hue: mode, step, transition time (u8)
                int mode = r.u8();
                int step = r.u8();
                r.u8();
                if (gate(r)) {
                    int hue = (int) d.num(0x0300, 0);
                    setHs(Math.floorMod(mode == 1 ? hue + step : hue - step, 255), -1);
                }
            }
            case 0x03 -> {
                int sat = r.u8();
                r.u16();
                if (gate(r)) {
                    setHs(-1, Math.min(254, sat));
                }
            }
            case 0x05 -> {
                int mode = r.u8();
                int step = r.u8();
                r.u8();
                if (gate(r)) {
                    int sat = (int) d.num(0x0300, 1);
                    setHs(-1, Math.max(0, Math.min(254, mode == 1 ? sat + step : sat - step)));
                }
            }
            case 0x06 -> {
                int hue = r.u8();
                int sat = r.u8();
                r.u16();
                if (gate(r)) {
                    setHs(Math.min(254, hue), Math.min(254, sat));
                }
            }
            case 0x07 -> {
                int x = r.u16();
                int y = r.u16();
                r.u16();
                if (gate(r)) {
                    setXy(x, y);
                }
            }
            case 0x09 -> {
                int dx = (short) r.u16();
                int dy = (short) r.u16();
                r.u16();
                if (gate(r)) {
                    setXy((int) Math.max(0, Math.min(0xFEFF, d.num(0x0300, 3) + dx)),
                            (int) Math.max(0, Math.min(0xFEFF, d.num(0x0300, 4) + dy)));
                }
            }
            case 0x0A -> {
                int mireds = r.u16();
                r.u16();
                if (gate(r)) {
                    setCt(mireds);
                }
            }
            case 0x4C -> { // step colour temperature: mode, step, tt, min, max
                int mode = r.u8();
                int step = r.u16();
                r.u16();
                r.u16();
                r.u16();
                if (gate(r)) {
                    int ct = (int) d.num(0x0300, 7);
                    setCt(mode == 1 ? ct + step : ct - step);
                }
            }
            case 0x40, 0x43 -> { // enhanced move to hue (and saturation)
                int ehue = r.u16();
                int sat = -1;
                if (cmd == 0x40) {
                    r.u8();
                } else {
                    sat = Math.min(254, r.u8());
                }
                r.u16();
                if (gate(r)) {
                    d.set(0x0300, 0x4000, ehue);
                    setHs(ehue >> 8, sat);
                    d.set(0x0300, 0x4001, 3);
                }
            }
            default -> {
                // move / stop variants: accepted, no continuous motion is modelled for colour
            }
        }
        return SUCCESS;
    }

    private boolean gate(SimBytes.R r) {
        return isOn() || executeIfOff(r, 0x0300);
    }

    private void setHs(int hue, int sat) {
        if (hue >= 0) {
            d.set(0x0300, 0, hue);
            if (d.attr(0x0300, 0x4000) != null) {
                d.set(0x0300, 0x4000, (long) hue << 8);
            }
        }
        if (sat >= 0) {
            d.set(0x0300, 1, sat);
        }
        d.set(0x0300, 0x0008, 0);
        d.set(0x0300, 0x4001, 0);
    }

    private void setXy(int x, int y) {
        d.set(0x0300, 3, x);
        d.set(0x0300, 4, y);
        d.set(0x0300, 0x0008, 1);
        d.set(0x0300, 0x4001, 1);
    }

    private void setCt(int mireds) {
        d.set(0x0300, 7, Math.max(d.kind.minMireds(), Math.min(d.kind.maxMireds(), mireds)));
        d.set(0x0300, 0x0008, 2);
        d.set(0x0300, 0x4001, 2);
    }
}
