package dev.redmesh.sync;

/** The target holds a newer epoch for this link than the worker's: another holder owns it now (I3). */
public final class FencedException extends RuntimeException {

    public FencedException(String message) {
        super(message);
    }
}
