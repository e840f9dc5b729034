package io.github.alru.spring.metrics;

import java.util.List;

import io.github.alru.AlruCacheRegistry;
import io.github.alru.AlruMethodCache;
import io.github.alru.spring.ConfigurableAlruCacheRegistry;
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

    private final AlruCacheRegistry caches;

    /**
     * Creates the binder.
     *
     * @param caches the registry whose caches get meters; when it is a {@link ConfigurableAlruCacheRegistry},
     *     caches registered after binding get meters too
     */
    public AlruCacheMetrics(AlruCacheRegistry caches) {
        this.caches = caches;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (caches instanceof ConfigurableAlruCacheRegistry configurable) {
            configurable.forEachCache(cache -> bind(cache, registry));
        } else {
            caches.names().forEach(name -> caches.find(name).ifPresent(cache -> bind(cache, registry)));
        }
    }

    private static void bind(AlruMethodCache cache, MeterRegistry registry) {
        new AlruCacheMeterBinder(cache, List.of(CACHE_MANAGER)).bindTo(registry);
    }
}
