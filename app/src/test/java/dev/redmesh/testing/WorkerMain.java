package dev.redmesh.testing;

import java.util.ArrayList;
import java.util.List;

import dev.redmesh.sync.KeyFilter;
import dev.redmesh.redis.RedisEndpoint;
import dev.redmesh.sync.SyncOptions;
import dev.redmesh.sync.SyncWorker;

/**
 * A bare worker process for crash tests: runs the given links until it is killed.
 * Arguments: {@code epoch link=source>target ...} with host:port addresses of standalone nodes.
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        long up = System.currentTimeMillis();
        System.out.println("WORKER-JVM-UP");
        long epoch = Long.parseLong(args[0]);
        List<SyncWorker> workers = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String[] link = args[i].split("[=>]");
            SyncWorker worker = new SyncWorker(new SyncWorker.Spec(link[0], endpoint(link[1]), endpoint(link[2]),
                    KeyFilter.everything(), SyncOptions.defaults(), epoch), event -> { });
            worker.start();
            workers.add(worker);
            System.out.println("WORKER-LINK-STARTED " + link[0] + " after " + (System.currentTimeMillis() - up) + " ms");
        }
        System.out.println("WORKER-STARTED " + workers.size());
        Thread.sleep(Long.MAX_VALUE);
    }

    private static RedisEndpoint endpoint(String address) {
        return new RedisEndpoint(List.of(address), false, null, null, false);
    }
}
