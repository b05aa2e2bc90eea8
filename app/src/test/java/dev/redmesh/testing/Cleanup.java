package dev.redmesh.testing;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test started (redis-servers, clients, workloads, worker processes), closed after it in
 * reverse order, also when it fails: {@code @RegisterExtension Cleanup cleanup = new Cleanup();}
 */
public final class Cleanup implements AfterEachCallback {

    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** Registers {@code closeable} and hands it back, for one-line set-up. */
    public <T extends AutoCloseable> T add(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        closeables.clear();
        if (first != null) {
            throw first;
        }
    }
}
