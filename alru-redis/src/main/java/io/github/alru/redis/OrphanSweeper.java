package io.github.alru.redis;

import static io.github.alru.redis.Scripts.bytes;
import static io.github.alru.redis.Scripts.text;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Deletes the values a clear left behind in Redis. A clear starts a new epoch, which orphans every
 * value of the old one at once; values with a ttl then expire by themselves, but values stored for
 * good would stay for ever. Each epoch lists those in its {@code :keys} set ({@link Scripts#STORE}),
 * so a sweep reads that set and deletes what it names: it touches the cleared cache's keys only,
 * never the keyspace, however many keys other caches and applications keep in that Redis.
 *
 * <p><b>Concurrency.</b> One sweep runs at a time for the whole link, through asynchronous commands
 * (a page of 500 names, then their {@code UNLINK}), so clearing ten thousand caches at once costs
 * no thread and no burst on Redis: the epochs wait in {@link #pending}. A sweep that fails is tried
 * again a heartbeat later, at most {@link #TRIES} times; what still fails stays in Redis, logged.
 */
final class OrphanSweeper {

    private static final Log logger = LogFactory.getLog(OrphanSweeper.class);
    static final int TRIES = 5;
    private static final int PAGE = 500;

    /** An epoch to sweep: {@code <prefix>:{<name>}:<epoch>}, and how many tries it has had. */
    private record Sweep(String epochBase, int tries) {
    }

    private final Link link;
    private final Queue<Sweep> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();

    OrphanSweeper(Link link) {
        this.link = link;
    }

    /** Deletes, in the background, the lasting values of the epoch {@code epochBase} ({@code <prefix>:{<name>}:<epoch>}). */
    void sweep(String epochBase) {
        pending.add(new Sweep(epochBase, 0));
        next();
    }

    /** Whether no sweep is running or waiting. */
    boolean idle() {
        return pending.isEmpty() && !sweeping.get();
    }

    private void next() {
        while (!pending.isEmpty() && sweeping.compareAndSet(false, true)) {
            Sweep sweep = pending.poll();
            if (sweep != null) {
                page(sweep, ScanCursor.INITIAL);
                return;
            }
            sweeping.set(false); // taken by a sweep that just ended: look again
        }
    }

    private void page(Sweep sweep, ScanCursor cursor) {
        RedisClusterAsyncCommands<byte[], byte[]> commands = link.commands();
        if (commands == null) {
            failed(sweep, new IllegalStateException("no connection to Redis"));
            return;
        }
        byte[] index = bytes(sweep.epochBase() + ":keys");
        CompletableFuture<ValueScanCursor<byte[]>> read = commands.sscan(index, cursor, ScanArgs.Builder.limit(PAGE))
                .toCompletableFuture();
        read.thenCompose(page -> {
            List<byte[]> hashes = page.getValues();
            if (hashes.isEmpty()) {
                return CompletableFuture.completedFuture(page);
            }
            byte[][] values = hashes.stream().map(hash -> bytes(sweep.epochBase() + ":v:" + text(hash))).toArray(byte[][]::new);
            return commands.unlink(values).toCompletableFuture().thenApply(unlinked -> page);
        }).thenCompose(page -> page.isFinished()
                ? commands.unlink(index).toCompletableFuture().thenApply(unlinked -> page)
                : CompletableFuture.completedFuture(page))
                .orTimeout(10, TimeUnit.SECONDS)
                .whenCompleteAsync((page, error) -> {
                    if (error != null) {
                        failed(sweep, error);
                    } else if (page.isFinished()) {
                        done();
                    } else {
                        page(sweep, page);
                    }
                }, link.executor());
    }

    private void failed(Sweep sweep, Throwable error) {
        if (sweep.tries() + 1 < TRIES && link.schedule(() -> {
            pending.add(new Sweep(sweep.epochBase(), sweep.tries() + 1));
            next();
        }, link.settings().heartbeat().toMillis())) {
            logger.debug("alru cluster: deleting the values a clear left in " + sweep.epochBase() + " failed; trying again", error);
        } else {
            logger.warn("alru cluster: the values a clear left in " + sweep.epochBase() + ":* could not be deleted ("
                    + error.getMessage() + "); they stay in Redis until deleted by hand");
        }
        done();
    }

    private void done() {
        sweeping.set(false);
        next();
    }
}
