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
     * Checks which Redis process serves each bucket of the cache not checked since the last
     * {@link #uncheck}; a process other than the one that served it before starts a new epoch of the
     * bucket ({@link Scripts#CHECK_SERVER}). A bucket whose check fails stays unchecked: its calls
     * run on this instance alone until a later check succeeds.
     *
     * @return completes, once every check answered or failed, with the run ids of the processes that
     *     serve a bucket another process served at this instance's last check of it
     */
    java.util.concurrent.CompletableFuture<java.util.Set<String>> checkServer();

    /** Whether every bucket was checked since the last {@link #uncheck}. */
    boolean fullyChecked();

    /** Forgets every bucket's check: a connection went or came, perhaps to another process. */
    void uncheck();
}
