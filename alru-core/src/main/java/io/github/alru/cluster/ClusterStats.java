package io.github.alru.cluster;

import java.util.EnumMap;
import java.util.Map;

/**
 * Counters of one CLUSTER cache in the tier; each only grows.
 *
 * @param hits local misses the shared store answered
 * @param misses local misses the shared store did not answer
 * @param waits calls that waited for another instance's load
 * @param errors errors and timeouts of the shared store, and values that could not be written or read
 * @param invalidations invalidations and clears received from other instances
 * @param resyncs times this instance dropped its copies because an invalidation may have been missed, by reason
 */
public record ClusterStats(long hits, long misses, long waits, long errors, long invalidations, Map<ResyncReason, Long> resyncs) {

    /**
     * Creates the counters, copying the resyncs with every reason present.
     *
     * @param hits local misses the shared store answered
     * @param misses local misses the shared store did not answer
     * @param waits calls that waited for another instance's load
     * @param errors errors and timeouts of the shared store
     * @param invalidations invalidations and clears received from other instances
     * @param resyncs drops of this instance's copies, by reason; a missing reason counts 0
     */
    public ClusterStats {
        EnumMap<ResyncReason, Long> all = new EnumMap<>(ResyncReason.class);
        for (ResyncReason reason : ResyncReason.values()) {
            all.put(reason, resyncs.getOrDefault(reason, 0L));
        }
        resyncs = Map.copyOf(all);
    }

    /**
     * Counters of a tier that never resyncs.
     *
     * @param hits local misses the shared store answered
     * @param misses local misses the shared store did not answer
     * @param waits calls that waited for another instance's load
     * @param errors errors and timeouts of the shared store
     * @param invalidations invalidations and clears received from other instances
     */
    public ClusterStats(long hits, long misses, long waits, long errors, long invalidations) {
        this(hits, misses, waits, errors, invalidations, Map.of());
    }

    /**
     * Returns how often this instance dropped its copies for one reason.
     *
     * @param reason the reason
     * @return the count
     */
    public long resyncs(ResyncReason reason) {
        return resyncs.get(reason);
    }
}
