package dev.redmesh.fleet;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Wakes the long polls of workers in this process when assignments change, so a worker learns of a
 * new epoch within milliseconds instead of at its next heartbeat. (A control plane that is not the
 * leader still answers within its polling step: see {@link FleetController}.)
 *
 * <p>It stops before the web server drains its requests, and then ends every long poll at once:
 * a control plane going away should send its workers to another one, not hold them until the
 * graceful shutdown gives up.
 */
@Component
class FleetSignal implements SmartLifecycle {

    private long version;
    private boolean closing;
    private boolean running;
    private final java.util.List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    void changed() {
        synchronized (this) {
            version++;
            notifyAll();
        }
        listeners.forEach(Runnable::run);
    }

    /** Called after every change (and at shutdown), outside this object's lock; must return quickly. */
    void onChange(Runnable listener) {
        listeners.add(listener);
    }

    synchronized long version() {
        return version;
    }

    synchronized boolean closing() {
        return closing;
    }

    /** Waits until the version moves past {@code seen}, {@code millis} pass, or this process shuts down. */
    synchronized void awaitChange(long seen, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (version == seen && !closing) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return;
            }
            wait(left);
        }
    }

    @Override
    public synchronized void start() {
        closing = false;
        running = true;
    }

    @Override
    public void stop() {
        synchronized (this) {
            closing = true;
            running = false;
            notifyAll();
        }
        listeners.forEach(Runnable::run);
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    /**
     * Before the web server's graceful shutdown (which stops in a lower phase), just after this
     * process's own worker said goodbye (phase {@code Integer.MAX_VALUE}), whose long poll needs no 503.
     */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1;
    }
}
