package dev.redmesh.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a command with more arguments than one Lua call takes into several commands with the same
 * effect, for the variadic commands where that holds: {@code RPUSH k a b c} is {@code RPUSH k a b}
 * then {@code RPUSH k c}. Other commands are not split (an empty list).
 */
final class VariadicSplitter {

    /** Fixed leading arguments (the key), and how many arguments make one element. */
    private record Shape(int fixed, int stride) {
    }

    private static final Map<String, Shape> SHAPES = Map.ofEntries(
            Map.entry("RPUSH", new Shape(1, 1)), Map.entry("LPUSH", new Shape(1, 1)),
            Map.entry("SADD", new Shape(1, 1)), Map.entry("SREM", new Shape(1, 1)),
            Map.entry("HDEL", new Shape(1, 1)), Map.entry("ZREM", new Shape(1, 1)),
            Map.entry("HSET", new Shape(1, 2)), Map.entry("HMSET", new Shape(1, 2)),
            Map.entry("DEL", new Shape(0, 1)), Map.entry("UNLINK", new Shape(0, 1)),
            Map.entry("MSET", new Shape(0, 2)));

    private VariadicSplitter() {
    }

    /** @param maxArgs the most arguments (name excluded) one piece may have */
    static List<byte[][]> split(String name, byte[][] args, int maxArgs) {
        Shape shape = SHAPES.get(name);
        if (shape == null || (args.length - shape.fixed()) % shape.stride() != 0) {
            return List.of();
        }
        int perPiece = (maxArgs - shape.fixed()) / shape.stride() * shape.stride();
        List<byte[][]> pieces = new ArrayList<>();
        for (int from = shape.fixed(); from < args.length; from += perPiece) {
            int to = Math.min(args.length, from + perPiece);
            byte[][] piece = new byte[shape.fixed() + to - from][];
            System.arraycopy(args, 0, piece, 0, shape.fixed());
            System.arraycopy(args, from, piece, shape.fixed(), to - from);
            pieces.add(piece);
        }
        return pieces;
    }


}
