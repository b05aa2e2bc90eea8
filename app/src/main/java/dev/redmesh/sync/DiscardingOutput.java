package dev.redmesh.sync;

import java.nio.ByteBuffer;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;

/** Keeps nothing of a reply but its error, if any: the applier only needs to know a write succeeded. */
final class DiscardingOutput extends CommandOutput<byte[], byte[], Void> {

    DiscardingOutput() {
        super(ByteArrayCodec.INSTANCE, null);
    }

    @Override
    public void set(ByteBuffer bytes) {
        // reply content is not needed
    }

    @Override
    public void set(long integer) {
        // reply content is not needed
    }

    @Override
    public void set(double number) {
        // reply content is not needed
    }

    @Override
    public void set(boolean value) {
        // reply content is not needed
    }

    @Override
    public void multi(int count) {
        // arrays (EXEC, XADD ids) are not needed either
    }
}
