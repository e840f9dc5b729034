package io.github.alru.cluster;

/**
 * Counters of one CLUSTER cache in the tier; each only grows.
 *
 * @param hits local misses the shared store answered
 * @param misses local misses the shared store did not answer
 * @param waits calls that waited for another instance's load
 * @param errors errors and timeouts of the shared store, and values that could not be written or read
 * @param invalidations invalidations and clears received from other instances
 */
public record ClusterStats(long hits, long misses, long waits, long errors, long invalidations) {
}
