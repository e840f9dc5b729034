package io.github.alru.spring.endpoint;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.github.alru.AlruCacheInfo;
import io.github.alru.AlruCacheParameters;
import io.github.alru.AlruCacheRegistry;
import io.github.alru.AlruCacheSettings;
import io.github.alru.AlruMethodCache;
import io.github.alru.spring.MethodDescriptions;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code alru} actuator endpoint: the statistics and settings of every alru cache, and
 * operations that clear one cache or all of them. It shows no keys and no values.
 */
@Endpoint(id = "alru")
public class AlruEndpoint {

    private final AlruCacheRegistry registry;

    /**
     * Creates the endpoint.
     *
     * @param registry the caches to describe and clear
     */
    public AlruEndpoint(AlruCacheRegistry registry) {
        this.registry = registry;
    }

    /**
     * Describes every cache.
     *
     * @return the caches, sorted by name
     */
    @ReadOperation
    public CachesDescriptor caches() {
        Map<String, CacheDescriptor> caches = new TreeMap<>();
        for (String name : registry.names()) {
            registry.find(name).ifPresent(cache -> caches.put(name, CacheDescriptor.of(cache)));
        }
        return new CachesDescriptor(caches);
    }

    /**
     * Describes one cache.
     *
     * @param name the cache's name
     * @return the cache, or {@code null} (a 404 on the web) when no cache has that name
     */
    @ReadOperation
    public @Nullable CacheDescriptor cache(@Selector String name) {
        return registry.find(name).map(CacheDescriptor::of).orElse(null);
    }

    /**
     * Clears one cache: removes its entries and resets its hits and misses.
     *
     * @param name the cache's name
     * @return whether a cache of that name exists
     */
    @DeleteOperation
    public boolean clearCache(@Selector String name) {
        Optional<AlruMethodCache> cache = registry.find(name);
        cache.ifPresent(AlruMethodCache::clear);
        return cache.isPresent();
    }

    /** Clears every cache: removes their entries and resets their hits and misses. */
    @DeleteOperation
    public void clearCaches() {
        for (String name : registry.names()) {
            registry.find(name).ifPresent(AlruMethodCache::clear);
        }
    }

    /**
     * Every cache of the application.
     *
     * @param caches the caches by name, sorted by name
     */
    public record CachesDescriptor(Map<String, CacheDescriptor> caches) implements OperationResponseBody {
    }

    /**
     * One cache: what it holds and how it was built. Never its keys or values.
     *
     * @param name the cache's name
     * @param method the cached method, as {@code declaring.Class.method(ParamType, ...)}
     * @param enabled whether the method is cached; a disabled cache keeps nothing and every call runs the method
     * @param hits calls served by a finished entry or by joining a load in flight, since the last clear
     * @param misses calls that started a load, since the last clear
     * @param hitRatio {@code hits / (hits + misses)}, or 0 before the first call
     * @param maxSize the size bound, or -1 when unbounded
     * @param currentSize entries now in the cache, loads in flight included
     * @param inFlight loads the cache started that have not finished
     * @param closed whether the cache is closed
     * @param typed whether equal arguments of different runtime classes are cached apart
     * @param eviction the eviction policy: {@code LRU} or {@code TINY_LFU}
     * @param ttl the time to live of finished entries in ISO-8601 ({@code PT10S}); empty, shown as
     *     JSON {@code null}, when entries never expire
     * @param jitter the random extra lifetime in ISO-8601; empty, shown as JSON {@code null}, when there is none
     * @param scope {@code LOCAL}, or {@code CLUSTER} when the cache is shared by every instance through Redis
     * @param refresh the refresh-ahead period in ISO-8601; empty, shown as JSON {@code null}, when entries are not refreshed ahead
     */
    public record CacheDescriptor(String name, String method, boolean enabled, long hits, long misses, double hitRatio, long maxSize,
            long currentSize, int inFlight, boolean closed, boolean typed, String eviction, Optional<String> ttl,
            Optional<String> jitter, String scope, Optional<String> refresh) implements OperationResponseBody {

        // Optional, not a nullable String: the actuator's JSON mapper leaves out null properties, but
        // writes an empty Optional as null, so "ttl": null is shown rather than dropped.

        static CacheDescriptor of(AlruMethodCache cache) {
            AlruCacheInfo info = cache.info();
            AlruCacheParameters parameters = cache.parameters();
            AlruCacheSettings settings = cache.settings();
            long calls = info.hits() + info.misses();
            double hitRatio = (calls > 0) ? (double) info.hits() / calls : 0.0;
            return new CacheDescriptor(cache.name(), MethodDescriptions.describe(cache.method()), cache.enabled(), info.hits(), info.misses(), hitRatio,
                    info.maxSize(), info.currentSize(), parameters.inFlight(), parameters.closed(), parameters.typed(),
                    settings.eviction().name(), iso(settings.ttl()), iso(settings.jitter()), cache.scope().name(), iso(settings.refresh()));
        }

        private static Optional<String> iso(@Nullable Duration duration) {
            return Optional.ofNullable(duration).map(Duration::toString);
        }
    }
}
