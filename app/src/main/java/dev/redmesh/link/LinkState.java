package dev.redmesh.link;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of a replication link. Allowed transitions are data, checked on every change
 * and each one recorded as an event with its reason. A broken link recovers by itself when its
 * worker gets going again (straight to a full sync or to streaming); a paused one only by an
 * operator's resume.
 */
public enum LinkState {
    PENDING,
    FULL_SYNC,
    STREAMING,
    PAUSED,
    BROKEN;

    public Set<LinkState> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(FULL_SYNC, STREAMING, PAUSED, BROKEN);
            case FULL_SYNC -> EnumSet.of(STREAMING, PENDING, PAUSED, BROKEN);
            case STREAMING -> EnumSet.of(FULL_SYNC, PENDING, PAUSED, BROKEN);
            case PAUSED -> EnumSet.of(PENDING);
            case BROKEN -> EnumSet.of(PENDING, FULL_SYNC, STREAMING, PAUSED);
        };
    }

    public boolean canMoveTo(LinkState target) {
        return next().contains(target);
    }
}
