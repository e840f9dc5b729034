package io.github.alru.cluster;

import java.time.Duration;

/** A store shared by every instance of an application, which CLUSTER caches join. */
public interface ClusterTier {

    /**
     * Joins one cache to the tier.
     *
     * @param spec the cache's name, types and settings, and its copy on this instance
     * @return the cache's view of the tier
     * @throws IllegalStateException when the tier cannot serve caches as configured (the message
     *     says what to change); the start then stops, naming the cache
     */
    ClusterCache join(ClusterCacheSpec spec);

    /**
     * Tells whether the link to the shared store works now; when it does not, caches answer from
     * this instance alone.
     *
     * @return {@code true} while the link is up
     */
    boolean linkUp();

    /**
     * Waits, at most {@code timeout}, until the link of a tier that caches have joined is usable,
     * so that the application reports started only once CLUSTER caches share from the first call.
     * A tier no cache has joined has nothing to wait for.
     *
     * @param timeout the longest wait
     * @return {@code true} when the link is usable (or nothing has joined), {@code false} on timeout
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalStateException when the store answers but refuses what the tier needs (missing
     *     rights, a missing feature): no wait would help, and the message says what is missing
     */
    default boolean awaitLinkUp(Duration timeout) throws InterruptedException {
        return linkUp();
    }

    /**
     * Says where the shared store is, for a log line a person reads: a Redis address, for example.
     *
     * @return the store's address
     */
    default String address() {
        return getClass().getName();
    }
}
