package io.github.alru;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * A cache of asynchronous results in which concurrent calls with equal keys share one load.
 *
 * <p>While a load for a key is in flight, further calls for that key join it: the loader runs
 * once and every caller receives the same outcome, each through a future of its own. Failed loads
 * are never cached. Instances are thread-safe; create them with {@link #builder()}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface AlruCache<K, V> {

    /** The {@code maxSize} of a cache that never evicts by size. */
    long UNBOUNDED = -1;

    /**
     * Returns a new builder with the defaults: {@code maxSize} 128, no ttl, no jitter, untyped keys,
     * {@link Eviction#LRU}.
     *
     * @return a new builder
     */
    static AlruCacheBuilder builder() {
        return new AlruCacheBuilder();
    }

    /**
     * Returns the value for {@code key}: from a finished entry, by joining a load in flight, or by
     * starting a load with {@code loader}. The loader runs on the calling thread, outside every lock.
     *
     * @param key the key; {@code null} is rejected
     * @param loader makes the value's future when the key is neither cached nor loading
     * @return a future of this caller's own; it fails, rather than this method throwing, when the
     *     loader throws, returns {@code null}, or returns a future that fails, and when the cache
     *     is closed ({@link AlruCacheClosedException})
     * @throws NullPointerException if {@code key} or {@code loader} is null
     */
    CompletableFuture<V> get(K key, Function<? super K, ? extends CompletionStage<V>> loader);

    /**
     * Returns the value of a finished entry for {@code key}, as a hit, without ever loading: the
     * allocation-free first step of a caller that builds its loader only for a miss.
     *
     * @param key the key; {@code null} is rejected
     * @return an already-completed future of this caller's own, or {@code null} when the key has no
     *     finished entry (absent, expired or still loading) or the cache is closed; a {@code null}
     *     return counts neither as a hit nor as a miss
     * @throws NullPointerException if {@code key} is null
     */
    @Nullable CompletableFuture<V> getIfPresent(K key);

    /**
     * Tells whether a finished, unexpired entry or a load in flight exists for {@code key}. Changes
     * neither counters nor eviction order.
     *
     * @param key the key
     * @return whether the key is cached or loading
     */
    boolean contains(K key);

    /**
     * Removes the entry for {@code key}. A load in flight is not cancelled: its callers still get
     * its outcome, and it does not write back into the cache.
     *
     * @param key the key
     * @return whether an entry, finished or in flight, was removed
     */
    boolean invalidate(K key);

    /**
     * Removes every entry and resets the hits and misses of {@link #info()} to 0; those of
     * {@link #stats()} only grow. Loads in flight run on for their callers.
     */
    void clear();

    /**
     * Removes every entry, like {@link #clear()}, but keeps the hits and misses of {@link #info()}:
     * for entries dropped because they may be stale, not because an operator cleared the cache.
     * Loads in flight run on for their callers and do not write back.
     */
    void invalidateAll();

    /**
     * Closes the cache: from now on {@link #get} returns a future failed with
     * {@link AlruCacheClosedException}. Closing again is safe and never reopens.
     *
     * @param wait {@code true} lets loads in flight finish for their callers (and keeps their
     *     results); {@code false} cancels them and drops their entries
     * @return a future that completes when no load started by this cache is still running
     */
    CompletableFuture<Void> close(boolean wait);

    /**
     * Returns hits, misses, the size bound and the current number of entries (in-flight included).
     *
     * @return a snapshot of the statistics
     */
    AlruCacheInfo info();

    /**
     * Returns the size bound, key typing, loads in flight and whether the cache is closed.
     *
     * @return a snapshot of the parameters
     */
    AlruCacheParameters parameters();

    /**
     * Returns the counters behind metrics: hits, misses, puts, evictions and loads.
     *
     * @return a snapshot of the counters
     */
    AlruCacheStats stats();

    /**
     * Returns the settings this cache was built with.
     *
     * @return the settings
     */
    AlruCacheSettings settings();

    /**
     * Returns this cache's name.
     *
     * @return the name given to the builder, or a generated one
     */
    String name();
}
