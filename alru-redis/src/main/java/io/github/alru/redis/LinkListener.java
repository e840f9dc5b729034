package io.github.alru.redis;

import org.jspecify.annotations.Nullable;

import io.github.alru.cluster.ResyncReason;

/** What the {@link Link} asks of each CLUSTER cache that joined it. */
interface LinkListener {

    /** The cache's name, as events carry it. */
    String name();

    /** Applies an event another instance published about this cache. */
    void onEvent(EventType type, String payload);

    /** Drops this instance's copies, since an invalidation may have been missed; counted when {@code reason} is given. */
    void dropLocalCopies(@Nullable ResyncReason reason);

    /** Wakes every call waiting for another instance's load: the link is closing, and they run the method here. */
    void wakeWaiters();

    /** The invalidations and clears Redis has not confirmed yet. */
    InvalidationOutbox outbox();

    /**
     * Tells the cache which Redis process serves it now; a process other than before starts a new
     * epoch of the cache ({@link Scripts#CHECK_SERVER}).
     *
     * @return whether the check ran; {@code true} when Redis confirmed it
     */
    java.util.concurrent.CompletableFuture<Boolean> checkServer(String runId);
}
