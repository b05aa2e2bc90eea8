package dev.redmesh.sync;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.RedisCommand;

/**
 * The ways of applying that benchmarks price redmesh's units against (docs/benchmarks.md, P2). They
 * give up I1–I3 and so live with the tests, not in the engine: a worker made here applies to a
 * standalone target through a {@link StandaloneTarget} that sends something other than the unit.
 */
public final class Baselines {

    /** How the applier writes to the target. */
    public enum Apply {
        /** Atomic Lua units per slot, checkpoint first: what production does. */
        UNITS,
        /**
         * The same Lua units without reading or writing a checkpoint: no fencing, no exactly-once,
         * and nothing marks the writes as link traffic. What checkpointing costs is the difference.
         */
        UNITS_WITHOUT_CHECKPOINT,
        /** Every command pipelined on its own, as a naive one-way copier would. */
        PLAIN
    }

    /** The same ARGV as {@link UnitScripts#APPLY}, no key: the commands only, atomically, with no checkpoint. */
    static final byte[] APPLY_WITHOUT_CHECKPOINT = UnitScripts.ascii("""
            local applied, errors, first = 0, 0, ''
            local i, n = 6, #ARGV
            while i <= n do
              local argc = tonumber(ARGV[i + 1])
              local r = redis.pcall(unpack(ARGV, i + 2, i + 1 + argc))
              if type(r) == 'table' and r.err then
                errors = errors + 1
                if first == '' then first = r.err end
              else
                applied = applied + 1
              end
              i = i + 2 + argc
            end
            return {applied, 0, errors, first}
            """);

    private Baselines() {
    }

    /** A worker for {@code spec} (standalone target) that applies the way {@code mode} says. */
    public static SyncWorker worker(SyncWorker.Spec spec, Apply mode, Consumer<String> events) {
        if (mode == Apply.UNITS) {
            return new SyncWorker(spec, events);
        }
        if (spec.target().cluster()) {
            throw new IllegalArgumentException("the " + mode + " baseline is measured on standalone targets only");
        }
        return new SyncWorker(spec, events, (endpoint, options) ->
                new StandaloneTarget(endpoint, options.targetTimeout(), options.tls()) {
                    @Override
                    protected List<RedisCommand<byte[], byte[], ?>> commandsFor(Unit unit, UnitScripts.Result result) {
                        return mode == Apply.PLAIN ? plain(unit, result) : withoutCheckpoint(unit, result);
                    }
                });
    }

    private static List<RedisCommand<byte[], byte[], ?>> withoutCheckpoint(TargetWriter.Unit unit, UnitScripts.Result result) {
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE);
        args.add(APPLY_WITHOUT_CHECKPOINT).add(0);
        unit.argv().forEach(args::add);
        return List.of(new Command<>(io.lettuce.core.protocol.CommandType.EVAL, result, args));
    }

    /** The unit's commands one by one; the unit counts as applied in full (errors are not looked at). */
    private static List<RedisCommand<byte[], byte[], ?>> plain(TargetWriter.Unit unit, UnitScripts.Result result) {
        List<byte[]> argv = unit.argv();
        List<RedisCommand<byte[], byte[], ?>> commands = new ArrayList<>();
        for (int i = UnitScripts.HEADER_ARGS; i < argv.size(); ) {
            int argc = Integer.parseInt(new String(argv.get(i + 1), StandardCharsets.US_ASCII));
            CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE);
            for (int a = i + 3; a < i + 2 + argc; a++) {
                args.add(argv.get(a));
            }
            commands.add(new Command<>(new RawCommand(argv.get(i + 2)), new DiscardingOutput(), args));
            i += 2 + argc;
        }
        result.set(commands.size());
        result.set(0);
        result.set(0);
        return commands;
    }
}
