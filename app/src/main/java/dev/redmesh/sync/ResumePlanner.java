package dev.redmesh.sync;

import java.time.Instant;
import java.util.List;

import dev.redmesh.redis.ReplicationInfo;

/**
 * Where a link resumes, from the source's replication ids and what the target holds — a pure
 * function, so every case is a unit test. The source's {@code master_replid2} and
 * {@code second_repl_offset} say which former history it continues and up to where: a checkpoint
 * of that history past the fork point is a divergence (I4), written down and left behind, never
 * silently skipped. Without a resume point, or when the source has neither its history nor the one
 * it continues, the link full-syncs.
 */
final class ResumePlanner {

    private ResumePlanner() {
    }

    /**
     * @param from        the point to resume after; null for a full sync
     * @param divergence  applied writes the source's current history never had; null when none
     * @param lostHistory why a resume point could not be used; null when it could (or there was none)
     */
    record Plan(Checkpoint from, Divergence divergence, String lostHistory) {

        boolean fullSync() {
            return from == null;
        }
    }

    /** Applied offsets {@code fromOffset..toOffset} of {@code replid} that the current history does not hold. */
    record Divergence(String replid, long fromOffset, long toOffset) {
    }

    /**
     * Plans the resume and sets {@code history} up for it.
     *
     * @param resume      the target's resume point for the link, or null
     * @param checkpoints every per-slot checkpoint the target holds for the link
     */
    static Plan plan(ReplicationInfo source, Checkpoint resume, List<Checkpoint> checkpoints, History history) {
        String current = source.replid() == null ? "" : source.replid();
        String former = source.replid2() == null ? "" : source.replid2();
        long second = source.secondReplOffset();
        long fork = second > 0 ? second - 1 : -1;
        Divergence divergence = null;
        if (fork >= 0) {
            history.knownForks.put(former, fork);
            long applied = -1;
            for (Checkpoint checkpoint : checkpoints) {
                if (checkpoint.replid().equals(former)) {
                    applied = Math.max(applied, checkpoint.offset());
                }
            }
            if (resume != null && resume.replid().equals(former)) {
                applied = Math.max(applied, resume.offset());
            }
            if (applied > fork) {
                divergence = new Divergence(former, fork + 1, applied);
            }
        }
        if (resume == null) {
            return new Plan(null, divergence, null);
        }
        history.resumable = true;
        history.translatedUpTo = resume.offset();
        history.resumeStored = resume.offset();
        if (resume.replid().equals(current)) {
            history.replid = current;
            history.previousReplid = former;
            history.forkOffset = fork;
            return new Plan(resume, divergence, null);
        }
        if (fork >= 0 && resume.replid().equals(former)) {
            // a replica was promoted: continue its former master's history, from no later than the fork
            history.replid = former;
            Checkpoint from = new Checkpoint(resume.epoch(), former, Math.min(resume.offset(), fork));
            history.translatedUpTo = from.offset();
            return new Plan(from, divergence, null);
        }
        history.resumable = false;
        history.translatedUpTo = -1;
        return new Plan(null, divergence, "the source no longer has history " + resume.replid() + " (it is at " + current + ")");
    }

    static SyncStats.Divergence at(Divergence divergence, Instant now) {
        return new SyncStats.Divergence(divergence.replid(), divergence.fromOffset(), divergence.toOffset(), now);
    }
}
