package io.github.alru;

/**
 * A snapshot of a cache's counters since it was built, for metrics. Every counter only grows:
 * {@link AlruCache#clear()} resets the hits and misses of {@link AlruCache#info()}, not these.
 *
 * @param hits calls served by a finished entry or by joining a load in flight
 * @param misses calls that started a load
 * @param puts loads whose value was stored (not those invalidated, cleared or dropped while in flight;
 *     with {@link Eviction#TINY_LFU}, not those W-TinyLFU's admission refused the moment they were stored,
 *     which count as evictions)
 * @param evictions finished entries removed by the size bound or by expiry
 * @param loadSuccesses loads whose future completed with a value
 * @param loadFailures loads that threw, returned null, failed or were cancelled
 * @param totalLoadTimeNanos time spent in loads, from the loader's call to its future's completion
 * @param refreshSuccesses background reloads (refresh-ahead) that completed with a value
 * @param refreshFailures background reloads that failed; the old value stays until its ttl
 */
public record AlruCacheStats(long hits, long misses, long puts, long evictions, long loadSuccesses,
        long loadFailures, long totalLoadTimeNanos, long refreshSuccesses, long refreshFailures) {
}
