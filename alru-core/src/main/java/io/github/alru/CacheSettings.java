package io.github.alru;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The validated settings of one cache.
 *
 * @param ttlNanos 0 when entries never expire
 * @param jitterNanos 0 when there is no jitter
 * @param refreshNanos 0 when entries are never refreshed ahead
 * @param ticker the time source of ttl, jitter and refresh
 */
record CacheSettings(String name, long maxSize, long ttlNanos, long jitterNanos, boolean typed, Eviction eviction,
        long refreshNanos, Ticker ticker) {

    AlruCacheSettings toPublic() {
        return new AlruCacheSettings(name, maxSize, ttlNanos > 0 ? Duration.ofNanos(ttlNanos) : null,
                jitterNanos > 0 ? Duration.ofNanos(jitterNanos) : null, typed, eviction,
                refreshNanos > 0 ? Duration.ofNanos(refreshNanos) : null);
    }

    boolean refreshes() {
        return refreshNanos > 0;
    }

    boolean expires() {
        return ttlNanos > 0;
    }

    /** A finished entry's lifetime: the ttl plus a uniform random share of the jitter. */
    long lifetimeNanos() {
        if (jitterNanos == 0) {
            return ttlNanos;
        }
        long extra = jitterNanos == Long.MAX_VALUE
                ? ThreadLocalRandom.current().nextLong(Long.MAX_VALUE)
                : ThreadLocalRandom.current().nextLong(jitterNanos + 1);
        long lifetime = ttlNanos + extra;
        return lifetime < 0 ? Long.MAX_VALUE : lifetime;
    }
}
