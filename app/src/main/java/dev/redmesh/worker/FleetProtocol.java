package dev.redmesh.worker;

import org.jspecify.annotations.Nullable;

import dev.redmesh.sync.Capture;
import dev.redmesh.sync.Resync;

import java.util.List;

/**
 * What a worker and the control plane say to each other over REST ({@code /api/v1/fleet/workers}).
 * Plain records on both sides: the worker process has no database and no control-plane code.
 */
public final class FleetProtocol {

    private FleetProtocol() {
    }

    /** {@code POOLED}: any assignment. {@code SIDECAR}: only those whose source is its pinned node. */
    public enum Kind { POOLED, SIDECAR }

    /**
     * Sent every second: who the worker is and how every assignment it runs is doing. Renews the lease
     * of each reported assignment the worker still holds at that epoch.
     */
    public record Heartbeat(Kind kind, String pinnedNode, String address, String version,
                            List<AssignmentReport> assignments) {
    }

    /**
     * @param phase   where the assignment is
     * @param lagMs   how long ago the source was at the oldest offset not yet applied; -1 unknown
     * @param divergence the latest divergence this assignment's sync met, or null (docs/sync.md)
     * @param notes   what the sync did worth a line on the link's timeline since the last answered
     *                heartbeat (a keyspace resync and its counts); null or empty when nothing
     * @param resync  where a keyspace resync is ({@link Resync}; null: none): what the control plane
     *                tells the opposite direction's resync depends on it ({@link Orders#covered})
     */
    public record AssignmentReport(String id, long epoch, AssignmentPhase phase, long appliedOffset, long lagBytes, long lagMs,
                                   double opsPerSec, String error, Divergence divergence, List<String> notes,
                                   Resync resync, @Nullable FullSyncProgress fullSync) {

        public AssignmentReport(String id, long epoch, AssignmentPhase phase, long appliedOffset, long lagBytes, long lagMs,
                                double opsPerSec, String error, Divergence divergence, List<String> notes, Resync resync) {
            this(id, epoch, phase, appliedOffset, lagBytes, lagMs, opsPerSec, error, divergence, notes, resync, null);
        }
    }

    /**
     * How far a full sync has come: keys of the source's RDB read, how many it holds (0 when its RDB
     * does not say), and how long it has run. Sent only while the shard full-syncs.
     */
    public record FullSyncProgress(long keysRead, long keysTotal, long elapsedMs) {
    }

    /**
     * Writes the target applied from a source history that the source's new master never had: offsets
     * {@code fromOffset..toOffset} of replication id {@code replid} (a replica promoted while behind).
     */
    public record Divergence(String replid, long fromOffset, long toOffset, java.time.Instant at) {
    }

    /**
     * The control plane's answer: what the worker must run now, and for how long a lease lasts.
     *
     * @param covered per assignment id: the time (ms since the epoch, the control plane's clock) up to
     *                which every link <em>into</em> the assignment's source cluster has applied what its
     *                own source was written; {@link Long#MAX_VALUE} when no link leads into it, 0 when
     *                one of them is not streaming or is reconciling, {@link #UNDECIDABLE} when the ones
     *                that do not cover are waiting on keys of their own ({@link Resync#WAITING}). A
     *                keyspace resync reverts or deletes a target's key only once this has passed the
     *                moment it saw the key differ: a state the target's own clients wrote would have
     *                reached the source by then (docs/sync.md). Not part of the fingerprint: it moves
     *                every heartbeat and restarts nothing.
     */
    public record Orders(long leaseMs, String fingerprint, List<AssignmentSpec> assignments,
                         java.util.Map<String, Long> covered) {

        /** A {@link #covered} value: see {@link Resync#UNDECIDABLE}. */
        public static final long UNDECIDABLE = Resync.UNDECIDABLE;
    }

    /**
     * One assignment: carry the writes of {@code source} (one master) of link {@code link} to {@code target}.
     *
     * @param capture   how the source is read
     * @param markUnits the target is itself read by keyspace capture: bracket every unit with the link's marker
     */
    public record AssignmentSpec(String id, String link, String shard, long epoch, Endpoint source, Endpoint target,
                                 List<String> include, List<String> exclude, Capture capture, boolean markUnits) {
    }

    /**
     * @param sealedPassword the Redis password sealed for the worker's token ({@link OrderSeal}), never
     *                       the password itself; null when the cluster has none
     */
    public record Endpoint(List<String> seeds, boolean cluster, @Nullable String username,
                           @Nullable String sealedPassword, boolean tls) {

        @Override
        public String toString() {
            // never the password: orders end up in logs and error messages
            return seeds + (cluster ? " (cluster)" : "") + (tls ? " (tls)" : "") + (username == null ? "" : " as " + username);
        }
    }
}
