package io.github.alru.cluster;

import java.lang.reflect.Type;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What a cluster tier needs to know of one cache.
 *
 * @param name the cache's name, the same on every instance
 * @param valueType the type of a loaded value (for a method, the result type inside its future or publisher)
 * @param parameterTypes the types of the arguments that make a key, in order
 * @param ttl the time to live of finished entries, or {@code null} when they never expire
 * @param jitter the random extra lifetime, or {@code null} for none
 * @param typed whether equal arguments of different runtime classes are kept apart
 * @param refresh the refresh-ahead period, or {@code null} when entries are never refreshed ahead
 * @param local this instance's copy of the cache, which the tier invalidates on word from other instances
 */
public record ClusterCacheSpec(String name, Type valueType, Type[] parameterTypes, @Nullable Duration ttl,
        @Nullable Duration jitter, boolean typed, @Nullable Duration refresh, LocalCopy local) {
}
