package dev.redmesh.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;

import dev.redmesh.redis.RedisEndpoint;
import dev.redmesh.redis.RedisUris;
import dev.redmesh.redis.RedisVersion;
import dev.redmesh.redis.TlsTrust;

/**
 * Writes to a target as atomic units ({@link UnitScripts}), many per round trip: a batch is
 * dispatched, flushed once, then awaited. One implementation per kind of target — a standalone
 * master ({@link StandaloneTarget}: a connection per database) and a Redis Cluster
 * ({@link ClusterTarget}: each unit routed by its checkpoint key, which shares the slot of its
 * commands). What they share is here: awaiting replies without ever resending, the resume point,
 * and reading the link's standing out of the fenced keys.
 */
abstract class TargetWriter implements AutoCloseable {

    /**
     * A write sent is never sent again because its reply is slow: a stopped target (SIGSTOP, a long
     * fork) answers later, in order, and resending would apply non-idempotent commands twice.
     */
    static final TimeoutOptions NO_COMMAND_TIMEOUT = TimeoutOptions.builder().timeoutCommands(false).build();

    protected final RedisEndpoint endpoint;
    protected final TlsTrust trust;
    protected final Duration timeout;
    private CompletableFuture<Void> resumeReply;

    protected TargetWriter(RedisEndpoint endpoint, Duration timeout, TlsTrust trust) {
        this.endpoint = endpoint;
        this.trust = trust;
        this.timeout = timeout;
    }

    /** The writer for {@code endpoint}'s kind of deployment, connected. */
    static TargetWriter open(RedisEndpoint endpoint, Duration timeout, TlsTrust trust) {
        return endpoint.cluster() ? new ClusterTarget(endpoint, timeout, trust) : new StandaloneTarget(endpoint, timeout, trust);
    }

    /** The RDB version the target understands, from its Redis version, for DUMP payloads made for it. */
    abstract int rdbVersion();

    static int rdbVersionOf(RedisVersion version) {
        if (version.isAtLeast(7, 4)) {
            return 12;
        }
        if (version.isAtLeast(7, 2)) {
            return 11;
        }
        if (version.isAtLeast(7, 0)) {
            return 10;
        }
        return version.isAtLeast(5, 0) ? 9 : 8;
    }

    /**
     * One atomic unit: the commands of one slot (one database of a standalone target) applied by
     * {@link UnitScripts#APPLY}. {@code argv} is the script's ARGV, header included; {@code markerKey}
     * (null unless the target is read by keyspace capture) brackets the unit's writes.
     */
    record Unit(int db, byte[] checkpointKey, byte[] markerKey, List<byte[]> argv) {

        Unit(int db, byte[] checkpointKey, List<byte[]> argv) {
            this(db, checkpointKey, null, argv);
        }

        /** The script's KEYS: the checkpoint, then the marker when there is one. */
        List<byte[]> keys() {
            return markerKey == null ? List.of(checkpointKey) : List.of(checkpointKey, markerKey);
        }
    }

    /** Sends every unit, pipelined; the replies are awaited with {@link Pending#await}. */
    abstract Pending send(List<Unit> units);

    /** Where the link stands on the target once fenced: its resume point (null if none) and every checkpoint. */
    record Fenced(Checkpoint resume, List<Checkpoint> checkpoints) {
    }

    /**
     * Raises the link's epoch in every checkpoint key (every slot, or every database of a standalone
     * target) and in its resume key, so that a former holder can no longer apply anything (I3), and
     * answers what those keys hold afterwards: the fence and the read are one pass over the keys.
     *
     * @throws FencedException if the target already holds a newer epoch
     */
    abstract Fenced fence(String link, long epoch);

    /** Sends one command to every master (function libraries live on each node of a cluster) and waits. */
    abstract void onEveryMaster(ProtocolKeyword name, byte[]... args);

    /** Pushes out what Lettuce queued on its own (after a reconnect, say) and waits for a flush no batch may bring. */
    protected abstract void flushQueued();

    /** Sends one command on the connection that serves the resume key (slot 0, or database 0), flushed. */
    protected abstract <T> CompletableFuture<T> atResumeKey(
            java.util.function.Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> call);

    /** Replies of one batch on their way. */
    final class Pending {

        private final List<? extends CompletableFuture<?>> replies;
        private final List<UnitScripts.Result> results;

        Pending(List<? extends CompletableFuture<?>> replies, List<UnitScripts.Result> results) {
            this.replies = replies;
            this.results = results;
        }

        boolean isDone() {
            return replies.stream().allMatch(CompletableFuture::isDone);
        }

        /**
         * Waits up to the target timeout; {@link TimeoutException} means "still waiting", never "lost".
         * Returns one result per unit, in order; a unit the target refused as a whole carries its error.
         */
        List<UnitScripts.Result> await() throws TimeoutException {
            TargetWriter.this.await(replies);
            return results;
        }
    }

    protected void await(List<? extends CompletableFuture<?>> replies) throws TimeoutException {
        CompletableFuture<Void> all = CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new));
        try {
            all.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException slow) {
            // Commands Lettuce queued on its own wait for a flush that no new batch may bring: push
            // them out, then keep waiting, never resending anything.
            flushQueued();
            throw slow;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof RedisCommandExecutionException)) {
                throw new IllegalStateException("target " + endpoint + " failed: " + e.getCause(), e.getCause());
            }
            // a unit refused as a whole: its result carries the error; wait for the others
            for (CompletableFuture<?> reply : replies) {
                try {
                    reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                } catch (ExecutionException refused) {
                    if (!(refused.getCause() instanceof RedisCommandExecutionException)) {
                        throw new IllegalStateException("target " + endpoint + " failed: " + refused.getCause(),
                                refused.getCause());
                    }
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + endpoint, interrupted);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + endpoint, e);
        }
    }

    /** Waits up to three target timeouts for the answers of a pass over the link's checkpoints. */
    protected void awaitCheckpoints(String link, List<? extends CompletableFuture<?>> answers) {
        for (int attempt = 1; ; attempt++) {
            try {
                await(answers); // pushes out what Lettuce queued on its own when slow, like any batch
                return;
            } catch (TimeoutException slow) {
                if (attempt == 3) {
                    throw new IllegalStateException("checkpoints of " + link + " on " + endpoint + " not answered within "
                            + timeout.multipliedBy(3), slow);
                }
            }
        }
    }

    /** Joins every answer of a pass over the link's keys; a newer epoch's refusals are collected, anything else fails. */
    protected void collectRefusals(String link, List<? extends CompletableFuture<?>> answers, List<String> refusals) {
        for (CompletableFuture<?> answer : answers) {
            try {
                answer.join();
            } catch (java.util.concurrent.CompletionException e) {
                String message = String.valueOf(e.getCause().getMessage());
                if (!UnitScripts.isFenced(message)) {
                    throw new IllegalStateException("checkpoints of " + link + " on " + endpoint + ": " + message, e.getCause());
                }
                refusals.add(message);
            }
        }
    }

    /**
     * Fences every key {@code dispatch} sends a FENCE script for (pipelined), then reads the link's
     * standing from their values.
     */
    protected Fenced fenceKeys(String link, byte[] epoch, java.util.function.Consumer<KeyFence> dispatch) {
        List<byte[]> argv = List.of(epoch);
        List<byte[]> keys = new ArrayList<>();
        List<io.lettuce.core.output.ByteArrayOutput<byte[], byte[]>> outputs = new ArrayList<>();
        List<CompletableFuture<?>> answers = new ArrayList<>();
        dispatch.accept(new KeyFence() {
            @Override
            public void fence(RedisClusterAsyncCommands<byte[], byte[]> connection, byte[] key) {
                io.lettuce.core.output.ByteArrayOutput<byte[], byte[]> output = new io.lettuce.core.output.ByteArrayOutput<>(ByteArrayCodec.INSTANCE);
                keys.add(key);
                outputs.add(output);
                answers.add(connection.dispatch(io.lettuce.core.protocol.CommandType.EVAL, output,
                        eval(UnitScripts.FENCE, key, argv)).toCompletableFuture());
            }

            @Override
            public void other(RedisFuture<?> reply) {
                answers.add(reply.toCompletableFuture());
            }
        });
        awaitCheckpoints(link, answers);
        List<String> refusals = new ArrayList<>();
        collectRefusals(link, answers, refusals);
        refuseIfFenced(link, refusals);
        List<byte[]> values = new ArrayList<>(outputs.size());
        outputs.forEach(output -> values.add(output.get()));
        return standing(link, keys, values);
    }

    /** What a pass over the link's keys sends: a FENCE for a key, or another command on the way (a SELECT). */
    protected interface KeyFence {
        void fence(RedisClusterAsyncCommands<byte[], byte[]> connection, byte[] key);

        void other(RedisFuture<?> reply);
    }

    protected void refuseIfFenced(String link, List<String> refusals) {
        if (!refusals.isEmpty()) {
            throw new FencedException("link " + link + " on " + endpoint + ": " + refusals.get(0));
        }
    }

    /** The link's standing from the fenced keys' values (the resume key's among them). */
    static Fenced standing(String link, List<byte[]> keys, List<byte[]> values) {
        byte[] resumeKey = SlotTags.resumeKey(link);
        Checkpoint resume = null;
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            Checkpoint checkpoint = Checkpoint.parse(values.get(i));
            if (checkpoint == null || checkpoint.offset() < 0) {
                continue;
            }
            checkpoints.add(checkpoint);
            if (java.util.Arrays.equals(keys.get(i), resumeKey)) {
                resume = checkpoint;
            }
        }
        return new Fenced(resume, checkpoints);
    }

    /**
     * Stores the resume point: every slot has applied everything up to {@code offset}. Not waited
     * for (a stopped target must not stop the applier): the reply is looked at by the next call,
     * which does nothing while the previous one is unanswered.
     *
     * @throws FencedException if a previous store was refused because a newer epoch holds the link
     */
    boolean storeResumePoint(String link, long epoch, String replid, long offset) {
        if (resumeReply != null) {
            if (!resumeReply.isDone()) {
                return false;
            }
            try {
                resumeReply.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (UnitScripts.isFenced(String.valueOf(e.getCause().getMessage()))) {
                    throw new FencedException("link " + link + " on " + endpoint + ": " + e.getCause().getMessage());
                }
                // not stored (a reconnect, say): the next one will be
            }
        }
        List<byte[]> argv = List.of(UnitScripts.ascii(Long.toString(epoch)), UnitScripts.ascii(replid),
                UnitScripts.ascii(Long.toString(offset)));
        resumeReply = atResumeKey(commands -> commands.dispatch(io.lettuce.core.protocol.CommandType.EVAL,
                new DiscardingOutput(), eval(UnitScripts.RESUME, SlotTags.resumeKey(link), argv)));
        return true;
    }

    static CommandArgs<byte[], byte[]> eval(byte[] script, byte[] key, List<byte[]> argv) {
        return eval(script, List.of(key), argv);
    }

    static CommandArgs<byte[], byte[]> eval(byte[] script, List<byte[]> keys, List<byte[]> argv) {
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE);
        args.add(script).add(keys.size());
        for (byte[] key : keys) {
            args.addKey(key);
        }
        for (byte[] arg : argv) {
            args.add(arg);
        }
        return args;
    }

    protected <T> T reply(RedisFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(endpoint + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(endpoint + " did not answer within " + timeout, e);
        }
    }

    /** Waits for one reply of every master (a function load), failing with the command's name. */
    protected void awaitEveryMaster(ProtocolKeyword name, List<CompletableFuture<Void>> replies) {
        try {
            for (CompletableFuture<Void> reply : replies) {
                reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + " refused by " + endpoint + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + endpoint, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + " not answered by " + endpoint, e);
        }
    }

    protected static CommandArgs<byte[], byte[]> argsOf(byte[]... args) {
        CommandArgs<byte[], byte[]> commandArgs = new CommandArgs<>(ByteArrayCodec.INSTANCE);
        for (byte[] arg : args) {
            commandArgs.add(arg);
        }
        return commandArgs;
    }

    protected RedisURI uri(String seed) {
        return RedisUris.of(RedisEndpoint.hostOf(seed), RedisEndpoint.portOf(seed), endpoint.username(),
                endpoint.password(), endpoint.tls(), trust, timeout);
    }

    @Override
    public abstract void close();
}
