package dev.redmesh.localredis;

import java.util.List;

/** Teardown shared by the multi-node setups. */
final class LocalNodes {

    private LocalNodes() {
    }

    /**
     * Closes every node even when some fail to close, so one bad node cannot leave the others
     * running. Failures are attached to {@code cause} when there is one (a failed start whose
     * error matters more), else the first is thrown with the rest suppressed.
     */
    static void closeAll(List<RedisNode> nodes, Throwable cause) {
        RuntimeException failure = null;
        for (RedisNode node : nodes) {
            try {
                node.close();
            } catch (RuntimeException e) {
                if (cause != null) {
                    cause.addSuppressed(e);
                } else if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
