package io.github.alru.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * One CLUSTER cache's invalidations and clears that Redis has not confirmed yet: an error, a reply
 * later than {@code redis-timeout}, or no link at all. Each stays here until Redis has applied it
 * and the other instances were told; the link flushes the outbox on every heartbeat while it is
 * up, before it counts as up again after an outage, and once more when it closes.
 *
 * <p><b>Concurrency.</b> The pending work lives in a concurrent map (key hash to event) and a
 * volatile flag for a clear; any thread may add to them. One flush runs at a time ({@link #flushing});
 * a flush takes each entry out with {@code remove(key, value)} before sending it, and a send that
 * fails puts it back unless a newer one for the same key arrived meanwhile. Work added while a flush
 * runs is taken by the next one. Sending twice is harmless: invalidating a key is idempotent, and a
 * second clear only empties what the first one had emptied already.
 *
 * <p><b>Bound.</b> Past {@link #MAX_PENDING} keys (a long outage with many invalidations), the
 * invalidations fold into one clear of the cache, which covers them all.
 */
final class InvalidationOutbox {

    static final int MAX_PENDING = 10_000;

    /** What the others are told of an invalidated key: its arguments ({@link EventType#INVALIDATE}), or to drop every copy. */
    record Invalidation(EventType type, String payload) {
    }

    /** Sends one piece of work to Redis; the future tells whether Redis confirmed it. */
    interface Sender {
        CompletableFuture<Boolean> invalidate(String hash, Invalidation invalidation);

        CompletableFuture<Boolean> clear();
    }

    private final Sender sender;
    /** Invalidations by key hash. */
    private final Map<String, Invalidation> invalidations = new ConcurrentHashMap<>();
    private volatile boolean clear;
    private final AtomicReference<@Nullable CompletableFuture<Boolean>> flushing = new AtomicReference<>();

    InvalidationOutbox(Sender sender) {
        this.sender = sender;
    }

    void addInvalidation(String hash, Invalidation event) {
        if (invalidations.size() >= MAX_PENDING) {
            addClear();
            return;
        }
        invalidations.putIfAbsent(hash, event);
    }

    void addClear() {
        invalidations.clear(); // the clear set next covers them, however a flush interleaves
        clear = true;
    }

    /** Whether nothing is pending and no flush is on its way. */
    boolean isEmpty() {
        return !clear && invalidations.isEmpty() && flushing.get() == null;
    }

    /**
     * Sends what is pending, unless a flush is running already (then returns that one).
     *
     * @return whether Redis confirmed everything this flush sent
     */
    CompletableFuture<Boolean> flush() {
        CompletableFuture<Boolean> running = flushing.get();
        if (running != null) {
            return running;
        }
        CompletableFuture<Boolean> flush = new CompletableFuture<>();
        if (!flushing.compareAndSet(null, flush)) {
            CompletableFuture<Boolean> other = flushing.get();
            return other == null ? CompletableFuture.completedFuture(false) : other; // the caller asks again
        }
        List<CompletableFuture<Boolean>> sent = new ArrayList<>();
        if (clear) {
            clear = false;
            sent.add(sender.clear().handle((confirmed, error) -> {
                if (error != null || !confirmed) {
                    clear = true;
                    return false;
                }
                return true;
            }));
        }
        for (Map.Entry<String, Invalidation> entry : List.copyOf(invalidations.entrySet())) {
            String hash = entry.getKey();
            Invalidation event = entry.getValue();
            if (invalidations.remove(hash, event)) {
                sent.add(sender.invalidate(hash, event).handle((confirmed, error) -> {
                    if (error != null || !confirmed) {
                        invalidations.putIfAbsent(hash, event);
                        return false;
                    }
                    return true;
                }));
            }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
            boolean confirmed = sent.stream().allMatch(future -> future.getNow(false));
            flushing.set(null);
            flush.complete(confirmed);
        });
        return flush;
    }

    /**
     * Flushes until nothing is pending or {@code timeoutMillis} has passed, blocking the calling thread.
     *
     * @return whether nothing is pending any more
     */
    boolean flushAndWait(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!isEmpty()) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            try {
                if (!flush().get(remaining, TimeUnit.NANOSECONDS)) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                return false;
            }
        }
        return true;
    }
}
