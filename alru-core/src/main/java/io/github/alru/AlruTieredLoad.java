package io.github.alru;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * The future an {@link AlruTieredLoader} returns: besides the value, it tells the cache where the
 * value came from and how long this cache may keep it. A second tier shared by several caches (the
 * cluster tier on Redis) completes it; a plain {@link #complete} is a value loaded here, kept as the
 * cache's settings say.
 *
 * <p>What the completing methods record is written before the future completes, so the cache,
 * which reads it when the future completes, always sees it.
 *
 * @param <V> the value type
 */
public final class AlruTieredLoad<V> extends CompletableFuture<V> {

    /** Creates an AlruTieredLoad. */
    public AlruTieredLoad() {
    }

    private long lifetimeNanos = -1;
    private boolean fromSharedTier;
    private boolean keep = true;

    /**
     * Completes with a value another cache loaded and the shared tier served: the call counts as a
     * hit, and the entry lives no longer than the shared copy.
     *
     * @param value the value, possibly {@code null}
     * @param remaining how long the shared copy still lives, or {@code null} if it never expires
     * @return whether this call completed the future
     */
    public boolean completeFromSharedTier(@Nullable V value, @Nullable Duration remaining) {
        fromSharedTier = true;
        lifetimeNanos = remaining == null ? -1 : Math.max(1, nanos(remaining));
        return complete(value);
    }

    /**
     * Completes with a value loaded here, kept for the given lifetime (the same one the shared copy
     * was given, jitter included).
     *
     * @param value the value, possibly {@code null}
     * @param lifetime how long the entry lives, or {@code null} for the cache's own ttl and jitter
     * @return whether this call completed the future
     */
    public boolean completeLoaded(@Nullable V value, @Nullable Duration lifetime) {
        lifetimeNanos = lifetime == null ? -1 : Math.max(1, nanos(lifetime));
        return complete(value);
    }

    /**
     * Completes with a value that every caller gets but that the cache does not keep: for example a
     * load whose key was invalidated elsewhere while it ran.
     *
     * @param value the value, possibly {@code null}
     * @return whether this call completed the future
     */
    public boolean completeWithoutKeeping(@Nullable V value) {
        keep = false;
        return complete(value);
    }

    /** The entry's lifetime in nanoseconds, or -1 for the cache's own. Read once the future is done. */
    long lifetimeNanos() {
        return lifetimeNanos;
    }

    /** Whether the value came from the shared tier. Read once the future is done. */
    boolean fromSharedTier() {
        return fromSharedTier;
    }

    /** Whether the cache may keep the value. Read once the future is done. */
    boolean keep() {
        return keep;
    }

    private static long nanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
