package io.github.alru;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.github.alru.cluster.ClusterStats;
import org.jspecify.annotations.Nullable;

/** The cache of one {@link AlruCacheable} method of one bean, addressed by the method's arguments. */
public interface AlruMethodCache {

    /**
     * Returns the cache's name.
     *
     * @return the name
     */
    String name();

    /**
     * Returns the annotated method.
     *
     * @return the method
     */
    Method method();

    /**
     * Tells whether the method is cached. A disabled cache ({@code alru.enabled=false}, or
     * {@code alru.caches.<name>.enabled=false}) keeps nothing: every call runs the method, and
     * {@link #contains} is always false.
     *
     * @return {@code false} when caching is disabled for this method
     */
    default boolean enabled() {
        return true;
    }

    /**
     * Tells where the cache lives.
     *
     * @return {@link Scope#CLUSTER} when it is shared by every instance through the cluster tier
     */
    default Scope scope() {
        return Scope.LOCAL;
    }

    /**
     * Returns the cache's counters in the cluster tier.
     *
     * @return the counters, or empty for a LOCAL cache
     */
    default Optional<ClusterStats> clusterStats() {
        return Optional.empty();
    }

    /**
     * Tells whether a result for these arguments is cached or loading.
     *
     * @param args the method's arguments, in order
     * @return whether an entry exists
     */
    boolean contains(@Nullable Object... args);

    /**
     * Removes the entry for these arguments; a load in flight runs on for its callers.
     *
     * @param args the method's arguments, in order
     * @return whether an entry was removed
     */
    boolean invalidate(@Nullable Object... args);

    /** Removes every entry and resets the hits and misses of {@link #info()}; the counters of {@link #stats()} only grow. */
    void clear();

    /**
     * Closes the cache; see {@link AlruCache#close(boolean)}.
     *
     * @param wait whether loads in flight may finish for their callers
     * @return a future that completes when no load of this cache is still running
     */
    CompletableFuture<Void> close(boolean wait);

    /**
     * Returns the cache's statistics.
     *
     * @return a snapshot of hits, misses and sizes
     */
    AlruCacheInfo info();

    /**
     * Returns the cache's parameters.
     *
     * @return a snapshot of the parameters
     */
    AlruCacheParameters parameters();

    /**
     * Returns the counters behind metrics.
     *
     * @return a snapshot of the counters
     */
    AlruCacheStats stats();

    /**
     * Returns the settings the cache was built with, annotation and properties resolved.
     *
     * @return the settings
     */
    AlruCacheSettings settings();
}
