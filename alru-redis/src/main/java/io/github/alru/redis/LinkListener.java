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
     * Checks which Redis process serves each bucket of the cache now; a process other than the one
     * that served it before starts a new epoch of the bucket ({@link Scripts#CHECK_SERVER}).
     *
     * @return completes, once every bucket was checked, with whether another process than at this
     *     instance's last check serves one of them; fails when Redis did not answer
     */
    java.util.concurrent.CompletableFuture<Boolean> checkServer();
}
