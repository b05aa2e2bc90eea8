package dev.redmesh.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import dev.redmesh.ops.StartupProblem;

/**
 * One redmesh per embedded data directory: an OS file lock beside the directory, which the kernel
 * releases however the holder ends. Holding it is what makes it safe to stop a Postgres found
 * serving the directory — its redmesh is gone.
 */
final class DataDirectoryLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirectoryLock take(Path dataDir) {
        Path file = dataDir.resolveSibling(dataDir.getFileName() + ".lock");
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                ByteBuffer holder = ByteBuffer.allocate(64);
                channel.read(holder, 0);
                channel.close();
                String pid = new String(holder.array(), 0, holder.position(), StandardCharsets.US_ASCII).strip();
                throw new StartupProblem("The embedded Postgres data directory " + dataDir + " is in use by another running redmesh"
                        + (pid.isEmpty() ? "" : " (PID " + pid + ")") + ".",
                        "Give this instance a data directory of its own (redmesh.postgres.data-dir), run it from another"
                                + " working directory, or point every instance at one external Postgres (spring.datasource.url).");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)), 0);
            return new DataDirectoryLock(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("could not lock " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
