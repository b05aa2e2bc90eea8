package dev.redmesh.lifecycle;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way redmesh runs something again and again: a daemon thread that runs a step, then waits
 * for the next period or an early {@link #wake()}, until {@link #stop} — which sets a flag, wakes the
 * thread and waits for the step in progress to end (a step is never interrupted: it may be halfway
 * through a transaction). A step that throws is logged with the loop's name and the loop goes on; a
 * step slower than its warning threshold is logged too. A stopped loop can be started again (Spring's
 * test context cache stops and restarts contexts).
 */
public final class PeriodicLoop {

    private static final Logger log = LoggerFactory.getLogger(PeriodicLoop.class);

    private final String name;
    private final LongSupplier nextWaitMillis;
    private final Runnable step;
    private final Duration slowAfter;
    /** A step that only waits (a long poll) may be interrupted to stop at once. */
    private final boolean interruptible;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean stopping;
    private Thread thread;

    private PeriodicLoop(String name, LongSupplier nextWaitMillis, Runnable step, Duration slowAfter, boolean interruptible) {
        this.name = name;
        this.nextWaitMillis = nextWaitMillis;
        this.step = step;
        this.slowAfter = slowAfter;
        this.interruptible = interruptible;
    }

    /** Runs {@code step} every {@code period} (measured from the end of one step to the start of the next). */
    public static PeriodicLoop every(Duration period, String name, Runnable step) {
        long millis = period.toMillis();
        return new PeriodicLoop(name, () -> millis, step, null, false);
    }

    /** Runs {@code step}, then waits as long as {@code nextWaitMillis} says (e.g. until the next tick is due). */
    public static PeriodicLoop waiting(LongSupplier nextWaitMillis, String name, Runnable step) {
        return new PeriodicLoop(name, nextWaitMillis, step, null, false);
    }

    /** The same loop, warning when a step takes longer than {@code threshold}. */
    public PeriodicLoop slowAfter(Duration threshold) {
        return new PeriodicLoop(name, nextWaitMillis, step, threshold, interruptible);
    }

    /**
     * The same loop, its thread interrupted by {@link #stop}: for a step that only waits (a long poll)
     * and holds nothing that an interruption would leave half done.
     */
    public PeriodicLoop interruptedOnStop() {
        return new PeriodicLoop(name, nextWaitMillis, step, slowAfter, true);
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        stopping = false;
        wake.drainPermits();
        Thread t = new Thread(this::run, name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Runs the next step now instead of at the end of the wait. */
    public void wake() {
        wake.release();
    }

    /** Stops after the step in progress, waiting at most {@code patience} for it. */
    public void stop(Duration patience) {
        Thread t;
        synchronized (this) {
            t = thread;
            thread = null;
        }
        if (t == null) {
            return;
        }
        stopping = true;
        wake.release();
        if (t == Thread.currentThread()) {
            return;
        }
        if (interruptible) {
            t.interrupt();
        }
        try {
            t.join(patience.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            log.warn("{} did not stop within {} ms; left to finish its step", name, patience.toMillis());
        }
    }

    public synchronized boolean isRunning() {
        return thread != null;
    }

    /** True once {@link #stop} was called: a long step may check it to end early. */
    public boolean stopping() {
        return stopping;
    }

    private void run() {
        while (!stopping) {
            long began = System.nanoTime();
            try {
                step.run();
            } catch (RuntimeException e) {
                if (stopping) {
                    return;
                }
                log.warn("{} failed: {}", name, e.toString(), e);
            }
            long tookMs = (System.nanoTime() - began) / 1_000_000;
            if (slowAfter != null && tookMs > slowAfter.toMillis()) {
                log.warn("{}: a step took {} ms (more than {} ms)", name, tookMs, slowAfter.toMillis());
            }
            if (stopping) {
                return;
            }
            try {
                long wait = Math.max(0, nextWaitMillis.getAsLong());
                if (wake.tryAcquire(wait, TimeUnit.MILLISECONDS)) {
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
