package io.github.alru.cluster;

import org.jspecify.annotations.Nullable;

/** This instance's copy of a CLUSTER cache, as the tier sees it. */
public interface LocalCopy {

    /**
     * Removes this instance's entry for these arguments, without telling anyone: another instance
     * invalidated them.
     *
     * @param args the method's arguments
     */
    void invalidateLocally(@Nullable Object[] args);

    /** Removes every entry of this instance's copy: word of an invalidation may have been lost. */
    void invalidateAllLocally();

    /**
     * Clears this instance's copy as a clear made here would: the cache was cleared on another
     * instance. Unlike {@link #invalidateAllLocally()}, this also resets the hits and misses that
     * the cache's info shows.
     */
    default void clearLocally() {
        invalidateAllLocally();
    }
}
