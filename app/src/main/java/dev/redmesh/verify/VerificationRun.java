package dev.redmesh.verify;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redmesh.redis.TlsTrust;

/**
 * One verification, on a thread of its own. Pass 1 scans every member (each master, each database,
 * {@code SCAN … MATCH}) and compares every key it finds in all members — a key already seen in an
 * earlier member's scan is not compared twice; later passes, {@code intervalMs} apart, compare
 * only what the previous pass found different, so a write still on its way through a link is not
 * reported. Memory stays flat: one page of keys and the candidates of the previous pass.
 */
final class VerificationRun implements Runnable {

    /** What the run ends with, for the service's metrics and event. */
    record Outcome(String id, String mesh, VerificationStore.State state, long divergent, Map<String, Long> kinds,
                   String reason, long keysChecked) {
    }

    private static final Logger log = LoggerFactory.getLogger(VerificationRun.class);
    private static final int PAGE = 500;
    /** Candidates a pass carries to the next at most; beyond it they are counted and reported as not rechecked. */
    static final int MAX_CANDIDATES = 1_000_000;
    private static final byte[] INTERNAL = "__redmesh:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final String id;
    private final String mesh;
    private final VerificationStore.Request request;
    private final List<Member.Spec> specs;
    private final VerificationStore store;
    private final TlsTrust trust;
    private final Duration timeout;
    private final Clock clock;
    private final AtomicBoolean cancelled;
    private final Consumer<Outcome> finished;

    private long keysChecked;
    private long keysEstimated;
    private final List<VerificationStore.PassCount> passes = new ArrayList<>();
    private long lastProgress;
    private long started;

    VerificationRun(String id, String mesh, VerificationStore.Request request, List<Member.Spec> specs,
                    VerificationStore store, TlsTrust trust, Duration timeout, Clock clock, AtomicBoolean cancelled,
                    Consumer<Outcome> finished) {
        this.id = id;
        this.mesh = mesh;
        this.request = request;
        this.specs = specs;
        this.store = store;
        this.trust = trust;
        this.timeout = timeout;
        this.clock = clock;
        this.cancelled = cancelled;
        this.finished = finished;
    }

    private static final class Cancelled extends RuntimeException {
        Cancelled() {
            super(null, null, false, false);
        }
    }

    @Override
    public void run() {
        List<Member> members = new ArrayList<>();
        started = System.nanoTime();
        try {
            for (Member.Spec spec : specs) {
                members.add(new Member(spec, trust, timeout));
            }
            for (Member m : members) {
                keysEstimated += m.keyCount();
            }
            Comparison comparison = new Comparison(members, request.ttlToleranceMs(), timeout);
            long[] overflow = {0};
            LinkedHashMap<Comparison.DbKey, Comparison.Finding> candidates = firstPass(members, comparison, overflow);
            passes.add(new VerificationStore.PassCount(1, candidates.size() + overflow[0]));
            progress(true);
            long inFlight = 0;
            for (int pass = 2; pass <= request.passes() && !candidates.isEmpty(); pass++) {
                sleep(request.intervalMs());
                LinkedHashMap<Comparison.DbKey, Comparison.Finding> previous = candidates;
                candidates = comparison.compare(previous.keySet(), this::paced);
                inFlight = 0;
                for (Map.Entry<Comparison.DbKey, Comparison.Finding> c : candidates.entrySet()) {
                    inFlight += c.getValue().unchangedSince(previous.get(c.getKey())) ? 0 : 1;
                }
                passes.add(new VerificationStore.PassCount(pass, candidates.size() + overflow[0]));
                progress(true);
                if (pass == request.passes()) {
                    Comparison.keepUnchanged(candidates, previous);
                }
            }
            Map<String, Long> kinds = new TreeMap<>();
            List<VerificationStore.StoredKey> stored = new ArrayList<>();
            for (Comparison.Finding f : candidates.values()) {
                kinds.merge(f.kind().name(), 1L, Long::sum);
                if (stored.size() < VerificationStore.MAX_STORED_KEYS) {
                    stored.add(new VerificationStore.StoredKey(stored.size(), f.db(), f.key(), f.kind(), regions(f)));
                }
            }
            store.storeKeys(id, stored);
            String reason = overflow[0] > 0 ? overflow[0] + " candidates of pass 1 beyond " + MAX_CANDIDATES
                    + " were not rechecked and are not counted" : null;
            if (inFlight > 0) {
                kinds.put("IN_FLIGHT", inFlight); // changed between the last two passes: being written, not reported
            }
            end(VerificationStore.State.DONE, candidates.size(), kinds, reason);
        } catch (Cancelled c) {
            end(VerificationStore.State.CANCELLED, -1, Map.of(), "cancelled");
        } catch (RuntimeException e) {
            log.warn("Verification {} of mesh {} failed: {}", id, mesh, e.toString());
            end(VerificationStore.State.FAILED, -1, Map.of(), e.getMessage() == null ? e.toString() : e.getMessage());
        } finally {
            members.forEach(Member::close);
        }
    }

    private void end(VerificationStore.State state, long divergent, Map<String, Long> kinds, String reason) {
        progress(true);
        if (store.finish(id, state, divergent < 0 ? null : divergent, kinds, reason, clock.instant())) {
            finished.accept(new Outcome(id, mesh, state, divergent, kinds, reason, keysChecked));
        }
    }

    /** Every member's keys; a key an earlier member holds was compared from there. */
    private LinkedHashMap<Comparison.DbKey, Comparison.Finding> firstPass(List<Member> members, Comparison comparison, long[] overflow) {
        LinkedHashMap<Comparison.DbKey, Comparison.Finding> candidates = new LinkedHashMap<>();
        boolean anySlotted = members.stream().anyMatch(m -> m.spec.slotted());
        TreeSet<Integer> dbs = new TreeSet<>();
        for (Member m : members) {
            dbs.addAll(m.databases());
        }
        if (anySlotted) {
            dbs.retainAll(List.of(0)); // a Redis Cluster member has database 0 only
        }
        ScanArgs scan = ScanArgs.Builder.limit(PAGE).match(request.match());
        for (int i = 0; i < members.size(); i++) {
            Member member = members.get(i);
            for (int db : dbs) {
                for (String master : member.spec.masters()) {
                    StatefulRedisConnection<byte[], byte[]> scanner = member.connect(master, db);
                    // the next page is asked for while this one is compared
                    RedisFuture<KeyScanCursor<byte[]>> next = scanner.async().scan(ScanCursor.INITIAL, scan);
                    ScanCursor cursor;
                    do {
                        checkCancelled();
                        KeyScanCursor<byte[]> page = await(next);
                        if (!page.isFinished()) {
                            next = scanner.async().scan(page, scan);
                        }
                        List<byte[]> keys = new ArrayList<>();
                        for (byte[] key : page.getKeys()) {
                            if (!startsWith(key, INTERNAL)) {
                                keys.add(key);
                            }
                        }
                        keysChecked += page.getKeys().size();
                        keys = notInEarlier(members.subList(0, i), db, keys);
                        for (Comparison.Finding f : comparison.compare(db, keys)) {
                            if (candidates.size() < MAX_CANDIDATES) {
                                candidates.put(new Comparison.DbKey(db, f.key()), f);
                            } else {
                                overflow[0]++;
                            }
                        }
                        pace();
                        progress(false);
                        cursor = page;
                    } while (!cursor.isFinished());
                }
            }
        }
        return candidates;
    }

    /** The keys none of {@code earlier} holds (those were compared when the earlier member was scanned). */
    private List<byte[]> notInEarlier(List<Member> earlier, int db, List<byte[]> keys) {
        if (earlier.isEmpty() || keys.isEmpty()) {
            return keys;
        }
        List<List<RedisFuture<Long>>> exists = new ArrayList<>();
        for (Member m : earlier) {
            RedisClusterAsyncCommands<byte[], byte[]> reads = m.reads(db);
            List<RedisFuture<Long>> answers = new ArrayList<>(keys.size());
            for (byte[] key : keys) {
                answers.add(reads.exists(key));
            }
            exists.add(answers);
        }
        List<byte[]> left = new ArrayList<>();
        for (int k = 0; k < keys.size(); k++) {
            boolean seen = false;
            for (List<RedisFuture<Long>> answers : exists) {
                seen |= await(answers.get(k)) > 0;
            }
            if (!seen) {
                left.add(keys.get(k));
            }
        }
        return left;
    }

    private static Map<String, Map<String, Object>> regions(Comparison.Finding f) {
        Map<String, Map<String, Object>> regions = new LinkedHashMap<>();
        f.members().forEach((region, o) -> {
            Map<String, Object> seen = new LinkedHashMap<>();
            seen.put("type", o.type());
            seen.put("ttlMs", o.ttlMs());
            seen.put("digest", o.present() ? String.format("%016x", o.digest()) : null);
            regions.put(region, seen);
        });
        return regions;
    }

    /** Between two pages of a recheck: cancelled or not, and paced. */
    private void paced() {
        checkCancelled();
        pace();
    }

    /** Keeps the keys read per second at or below the request's rate. */
    private void pace() {
        long due = started + (long) (keysChecked * 1e9 / request.keysPerSecond());
        long wait = due - System.nanoTime();
        if (wait > 1_000_000) {
            sleep(wait / 1_000_000);
        }
    }

    private void progress(boolean now) {
        long t = System.nanoTime();
        if (!now && t - lastProgress < 1_000_000_000L) {
            return;
        }
        lastProgress = t;
        if (!store.progress(id, keysChecked, Math.max(keysEstimated, keysChecked), passes, clock.instant())) {
            cancelled.set(true); // ended elsewhere: cancelled through the API, or failed by the sweeper
        }
    }

    private void checkCancelled() {
        if (cancelled.get()) {
            throw new Cancelled();
        }
    }

    private void sleep(long millis) {
        long until = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < until) {
            checkCancelled();
            try {
                Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Cancelled();
            }
        }
    }

    private <T> T await(RedisFuture<T> reply) {
        try {
            return reply.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cancelled();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("a region did not answer: " + e.getMessage(), e);
        }
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
