package io.github.alru.cluster;

/** A store shared by every instance of an application, which CLUSTER caches join. */
public interface ClusterTier {

    /**
     * Joins one cache to the tier.
     *
     * @param spec the cache's name, types and settings, and its copy on this instance
     * @return the cache's view of the tier
     */
    ClusterCache join(ClusterCacheSpec spec);

    /**
     * Tells whether the link to the shared store works now; when it does not, caches answer from
     * this instance alone.
     *
     * @return {@code true} while the link is up
     */
    boolean linkUp();
}
