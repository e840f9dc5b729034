package io.github.alru;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The settings a cache was built with.
 *
 * @param name the cache's name
 * @param maxSize the size bound, or {@link AlruCache#UNBOUNDED}
 * @param ttl the time to live of finished entries, or {@code null} when they never expire
 * @param jitter the random extra lifetime, or {@code null} for none
 * @param typed whether equal keys of different runtime classes are kept apart
 * @param eviction the eviction policy
 * @param refresh how old a finished entry may grow before a hit reloads it in the background, or
 *     {@code null} when entries are never refreshed ahead
 */
public record AlruCacheSettings(String name, long maxSize, @Nullable Duration ttl, @Nullable Duration jitter, boolean typed, Eviction eviction,
        @Nullable Duration refresh) {
}
