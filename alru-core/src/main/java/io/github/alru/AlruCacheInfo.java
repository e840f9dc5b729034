package io.github.alru;

/**
 * A snapshot of a cache's statistics, like {@code functools.lru_cache}'s {@code cache_info()}.
 *
 * @param hits calls served by a finished entry or by joining a load in flight
 * @param misses calls that started a load
 * @param maxSize the size bound, or {@link AlruCache#UNBOUNDED}
 * @param currentSize entries now in the cache, loads in flight included
 */
public record AlruCacheInfo(long hits, long misses, long maxSize, long currentSize) {
}
