package dev.redmesh.verify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.redmesh.localredis.RedisNode;
import dev.redmesh.redis.TlsTrust;

/** Runs the product's verification over plain nodes, without a control plane: for benchmarks. */
public final class Verifier {

    /** What one verification did. */
    public record Result(long keysChecked, long divergent, double seconds, String state, String reason) {
    }

    private Verifier() {
    }

    /** Verifies the nodes (one standalone region each) against each other. */
    public static Result verify(List<RedisNode> nodes, int keysPerSecond, int passes, int intervalMs) {
        List<Member.Spec> specs = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            specs.add(new Member.Spec("r" + i, "c" + i, List.of(nodes.get(i).address()), false, null, null, false, false));
        }
        AtomicReference<VerificationRun.Outcome> outcome = new AtomicReference<>();
        long t0 = System.nanoTime();
        new VerificationRun("bench", "bench", new VerificationStore.Request(passes, "*", keysPerSecond, intervalMs, 2_000),
                specs, new NoStore(), TlsTrust.DEFAULT, Duration.ofSeconds(30), Clock.systemUTC(), new AtomicBoolean(),
                outcome::set).run();
        VerificationRun.Outcome o = outcome.get();
        return new Result(o.keysChecked(), o.divergent(), (System.nanoTime() - t0) / 1e9, o.state().name(), o.reason());
    }

    /** Keeps nothing: the benchmark reads the outcome. */
    private static final class NoStore extends VerificationStore {
        NoStore() {
            super(null, null);
        }

        @Override
        boolean progress(String id, long keysChecked, long keysEstimated, List<PassCount> passes, Instant now) {
            return true;
        }

        @Override
        boolean finish(String id, State state, Long divergent, Map<String, Long> kinds, String reason, Instant now) {
            return true;
        }

        @Override
        void storeKeys(String id, List<StoredKey> keys) {
        }
    }
}
