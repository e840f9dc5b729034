package io.github.alru.autoconfigure.metrics;

import java.util.List;

import io.github.alru.autoconfigure.DefaultAlruCacheRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the meters of every alru cache to each meter registry: the caches that exist when the
 * registry is bound, and every cache created afterwards, whenever its bean is created.
 */
public class AlruCacheMetrics implements MeterBinder {

    /** The tag that tells alru's caches apart from other cache managers' on shared dashboards. */
    public static final Tag CACHE_MANAGER = Tag.of("cache.manager", "alru");

    private final DefaultAlruCacheRegistry caches;

    /**
     * Creates the binder.
     *
     * @param caches the registry whose caches get meters
     */
    public AlruCacheMetrics(DefaultAlruCacheRegistry caches) {
        this.caches = caches;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        caches.forEachCache(cache -> new AlruCacheMeterBinder(cache, List.of(CACHE_MANAGER)).bindTo(registry));
    }
}
