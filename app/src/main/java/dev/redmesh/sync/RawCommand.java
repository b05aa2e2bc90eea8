package dev.redmesh.sync;

import java.nio.charset.StandardCharsets;

import io.lettuce.core.protocol.ProtocolKeyword;

/** Any command name, sent as the bytes the source wrote, so commands Lettuce has no type for still travel. */
record RawCommand(byte[] bytes) implements ProtocolKeyword {

    static final RawCommand RESTORE = of("RESTORE");
    static final RawCommand MULTI = of("MULTI");
    static final RawCommand EXEC = of("EXEC");

    static RawCommand of(String name) {
        return new RawCommand(name.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public byte[] getBytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    @Override
    public String name() {
        return toString();
    }
}
