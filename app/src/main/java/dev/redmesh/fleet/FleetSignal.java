package dev.redmesh.fleet;

import org.springframework.stereotype.Component;

/**
 * Wakes the long polls of workers in this process when assignments change, so a worker learns of a
 * new epoch within milliseconds instead of at its next heartbeat. (A control plane that is not the
 * leader still answers within its polling step: see {@link FleetController}.)
 */
@Component
class FleetSignal {

    private long version;

    synchronized void changed() {
        version++;
        notifyAll();
    }

    synchronized long version() {
        return version;
    }

    /** Waits until the version moves past {@code seen} or {@code millis} pass. */
    synchronized void awaitChange(long seen, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (version == seen) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return;
            }
            wait(left);
        }
    }
}
