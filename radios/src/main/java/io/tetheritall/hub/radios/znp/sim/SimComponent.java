package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.time.TaskScheduler;
import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;

import java.util.Random;

/** A part of the simulator (an MT subsystem, the joins, the population): the shared context and the ways to answer. */
abstract class SimComponent {
    final SimContext ctx;
    final ZnpSimulatorConfig cfg;
    final TaskScheduler sched;
    final Random rnd;
    final SimNv nv;
    final SimCounters counters;

    SimComponent(SimContext ctx) {
        this.ctx = ctx;
        this.cfg = ctx.cfg;
        this.sched = ctx.sched;
        this.rnd = ctx.rnd;
        this.nv = ctx.nv;
        this.counters = ctx.counters;
    }

    final void srsp(UnpiFrame req, byte... data) {
        ctx.wire.srsp(req, data);
    }

    final void srsp(UnpiFrame req, SimBytes.W w) {
        ctx.wire.srsp(req, w);
    }

    final void areq(int subsystem, int cmd, byte[] data) {
        ctx.wire.areq(subsystem, cmd, data);
    }

    /** Runs {@code r} after {@code ms} unless the stick reset in between. */
    final void later(long ms, Runnable r) {
        ctx.later(ms, r);
    }

    final boolean up() {
        return ctx.up();
    }
}
