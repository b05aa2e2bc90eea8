package dev.redmesh.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.ScanArgs;

import dev.redmesh.localredis.LocalRedisCluster;
import dev.redmesh.localredis.RedisBinary;
import dev.redmesh.localredis.RedisNode;
import dev.redmesh.redis.RedisEndpoint;
import dev.redmesh.testing.Cleanup;
import dev.redmesh.testing.Eventually;
import dev.redmesh.testing.WanLink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A PSYNC link's lag in ms is timed from the source's write ({@link PsyncBeats}): a beat written on
 * the source master and seen applied at the target, on the worker's one clock, to the millisecond.
 */
class PsyncLagIT {

    @RegisterExtension
    Cleanup cleanup = new Cleanup();

    private SyncWorker worker(String source, RedisNode target) {
        SyncWorker worker = new SyncWorker(new SyncWorker.Spec("lag-" + target.port(),
                new RedisEndpoint(List.of(source), false, null, null, false),
                new RedisEndpoint(List.of(target.address()), false, null, null, false), KeyFilter.everything(),
                SyncOptions.defaults()), event -> { });
        cleanup.add(worker);
        worker.start();
        Eventually.await("streaming", Duration.ofSeconds(30), () -> worker.stats().phase() == SyncStats.Phase.STREAMING);
        return worker;
    }

    /**
     * The source 40 ms away (a relay delays each direction): the lag is the way from the source to
     * the target's apply, ≈ 40 ms — not ≈ 0 (timed from the worker's read) and not ≈ 80 (the beat's
     * whole round trip). Then a target that stops applying shows as a lag that grows, and falls back.
     */
    @Test
    void lagStartsAtTheSourcesWriteAndGrowsWhileTheTargetStops() throws Exception {
        RedisNode source = cleanup.add(RedisNode.start(RedisBinary.forVersion("7")));
        RedisNode target = cleanup.add(RedisNode.start(RedisBinary.forVersion("7")));
        WanLink far = cleanup.add(new WanLink(source.port(), Duration.ofMillis(40), Duration.ZERO));
        SyncWorker worker = worker(far.address(), target);

        Eventually.await("a beat came back", Duration.ofSeconds(10), () -> worker.measuredLagMs() >= 0);
        Eventually.await("the beats sent during the full sync are done", Duration.ofSeconds(5), () -> worker.measuredLagMs() < 75);
        List<Long> idle = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            idle.add(worker.measuredLagMs());
            Thread.sleep(100);
        }
        assertThat(idle).as("one way of 40 ms, plus reading and applying").allSatisfy(lag -> assertThat(lag).isBetween(38L, 75L));

        target.call(c -> c.clientPause(1_500)); // the target stops executing clients' commands
        long stoppedAt = System.nanoTime();
        long highest = 0;
        while (System.nanoTime() - stoppedAt < 1_400_000_000L) {
            source.call(c -> c.incr("lag:counter"));
            highest = Math.max(highest, worker.measuredLagMs());
            Thread.sleep(20);
        }
        assertThat(highest).as("lag while the target applies nothing").isGreaterThan(1_000);
        Eventually.await("lag back to the distance", Duration.ofSeconds(5), () -> worker.measuredLagMs() < 100);
        String expected = source.call(c -> c.get("lag:counter"));
        Eventually.await("counter applied", Duration.ofSeconds(5), () -> expected.equals(target.call(c -> c.get("lag:counter"))));
    }

    /**
     * A Redis Cluster master propagates no {@code PUBLISH}: its beats are a key of the link's own in
     * the master's slots, which stays on the source (expiring), never travels and is not an echo.
     */
    @Test
    void aClusterMastersBeatsAreAKeyThatNeverTravels() {
        LocalRedisCluster cluster = cleanup.add(LocalRedisCluster.builder().binary(RedisBinary.forVersion("7")).masters(3)
                .replicasPerMaster(0).start());
        RedisNode master = cluster.masters().get(1);
        RedisNode target = cleanup.add(RedisNode.start(RedisBinary.forVersion("7")));
        SyncWorker worker = worker(master.address(), target);

        Eventually.await("a beat came back", Duration.ofSeconds(10), () -> worker.measuredLagMs() >= 0);
        assertThat(worker.measuredLagMs()).isLessThan(100);
        List<String> beatKeys = master.call(c -> c.scan(ScanArgs.Builder.matches("__redmesh:beat:*").limit(1000)).getKeys());
        assertThat(beatKeys).as("one key, in the master's own slots").hasSize(1);
        assertThat(beatKeys.get(0)).endsWith(":lag-" + target.port() + ":1");
        long pttl = master.call(c -> c.pttl(beatKeys.get(0)));
        assertThat(pttl).isBetween(1L, 5_000L);
        List<String> travelled = target.call(c -> c.keys("__redmesh:beat:*"));
        assertThat(travelled).as("beats never travel").isEmpty();
        assertThat(worker.stats().echoesDropped()).as("a beat is no echo").isZero();
        assertThat(worker.stats().applyErrors()).isZero();
    }
}
