package io.github.alru.spring;

import java.time.Duration;

import io.github.alru.Eviction;
import io.github.alru.Scope;
import org.jspecify.annotations.Nullable;

/**
 * Settings of one cache that override its {@code @AlruCacheable} annotation; {@code null} keeps the
 * annotation's value.
 *
 * @param maxSize the size bound
 * @param ttl the time to live
 * @param jitter the random extra lifetime
 * @param eviction the eviction policy
 * @param typed whether equal arguments of different classes are cached apart
 * @param enabled whether the method is cached; {@code false} keeps nothing, and every call runs the method
 * @param scope where the cache lives
 * @param refresh the refresh-ahead period
 */
public record CacheOverride(@Nullable Long maxSize, @Nullable Duration ttl, @Nullable Duration jitter,
        @Nullable Eviction eviction, @Nullable Boolean typed, @Nullable Boolean enabled, @Nullable Scope scope,
        @Nullable Duration refresh) {

    /** Overrides nothing. */
    public static final CacheOverride NONE = new CacheOverride(null, null, null, null, null, null, null, null);
}
