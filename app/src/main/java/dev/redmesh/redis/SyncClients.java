package dev.redmesh.redis;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

/**
 * One set of Lettuce event loops and timers for every link this process runs. A client made with
 * resources of its own starts its own thread pools, which costs each assignment's start tens of
 * milliseconds (on the path of every failover and takeover) and a worker with many assignments a
 * few threads per core for each.
 */
public final class SyncClients {

    private static volatile ClientResources shared;

    private SyncClients() {
    }

    /** Created on first use and never shut down: its threads are daemons, and links come and go. */
    public static ClientResources resources() {
        ClientResources resources = shared;
        if (resources == null) {
            synchronized (SyncClients.class) {
                resources = shared;
                if (resources == null) {
                    resources = DefaultClientResources.create();
                    shared = resources;
                }
            }
        }
        return resources;
    }
}
