package io.github.alru.spring.metrics;

import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import io.github.alru.AlruMethodCache;
import io.github.alru.cluster.ClusterStats;
import io.github.alru.cluster.ResyncReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;

/**
 * The meters of one alru cache, named as Micrometer's own {@code CaffeineCacheMetrics} names them
 * ({@code cache.gets}, {@code cache.puts}, {@code cache.evictions}, {@code cache.size},
 * {@code cache.load}, {@code cache.load.duration}), plus {@code alru.loads.in.flight}. All are
 * function meters that read the cache's counters when scraped: a call costs metrics nothing.
 */
public class AlruCacheMeterBinder extends CacheMeterBinder<AlruMethodCache> {

    /**
     * Creates the binder.
     *
     * @param cache the cache to measure
     * @param tags tags added to every meter, besides {@code cache=<name>}
     */
    public AlruCacheMeterBinder(AlruMethodCache cache, Iterable<Tag> tags) {
        super(cache, cache.name(), tags);
    }

    @Override
    protected Long size() {
        AlruMethodCache cache = getCache();
        return cache == null ? null : cache.info().currentSize();
    }

    @Override
    protected long hitCount() {
        AlruMethodCache cache = getCache();
        return cache == null ? 0 : cache.stats().hits();
    }

    @Override
    protected Long missCount() {
        AlruMethodCache cache = getCache();
        return cache == null ? null : cache.stats().misses();
    }

    @Override
    protected Long evictionCount() {
        AlruMethodCache cache = getCache();
        return cache == null ? null : cache.stats().evictions();
    }

    @Override
    protected long putCount() {
        AlruMethodCache cache = getCache();
        return cache == null ? 0 : cache.stats().puts();
    }

    @Override
    protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
        AlruMethodCache cache = getCache();
        if (cache == null) {
            return;
        }
        FunctionCounter.builder("cache.load", cache, c -> c.stats().loadSuccesses())
                .tags(getTagsWithCacheName()).tag("result", "success")
                .description("Loads that completed with a value")
                .register(registry);
        FunctionCounter.builder("cache.load", cache, c -> c.stats().loadFailures())
                .tags(getTagsWithCacheName()).tag("result", "failure")
                .description("Loads that threw, returned null, failed or were cancelled")
                .register(registry);
        TimeGauge.builder("cache.load.duration", cache, TimeUnit.NANOSECONDS, c -> c.stats().totalLoadTimeNanos())
                .tags(getTagsWithCacheName())
                .description("Time spent in loads, from the method's call to its future's completion")
                .register(registry);
        Gauge.builder("alru.loads.in.flight", cache, c -> c.parameters().inFlight())
                .tags(getTagsWithCacheName())
                .description("Loads started by the cache that have not finished")
                .register(registry);
        FunctionCounter.builder("alru.refreshes", cache, c -> c.stats().refreshSuccesses())
                .tags(getTagsWithCacheName()).tag("result", "success")
                .description("Background reloads (refresh-ahead) that completed with a value")
                .register(registry);
        FunctionCounter.builder("alru.refreshes", cache, c -> c.stats().refreshFailures())
                .tags(getTagsWithCacheName()).tag("result", "failure")
                .description("Background reloads that failed; the old value stays until its ttl")
                .register(registry);
        if (cache.clusterStats().isPresent()) {
            bindClusterMetrics(cache, registry);
        }
    }

    private void bindClusterMetrics(AlruMethodCache cache, MeterRegistry registry) {
        cluster(registry, "alru.cluster.gets", cache, ClusterStats::hits, "Local misses Redis answered", "result", "hit");
        cluster(registry, "alru.cluster.gets", cache, ClusterStats::misses, "Local misses Redis did not answer", "result", "miss");
        cluster(registry, "alru.cluster.waits", cache, ClusterStats::waits, "Calls that waited for another instance's load");
        cluster(registry, "alru.cluster.errors", cache, ClusterStats::errors,
                "Redis errors and timeouts, and values that could not be written or read");
        cluster(registry, "alru.cluster.invalidations", cache, ClusterStats::invalidations,
                "Invalidations and clears received from other instances");
        for (ResyncReason reason : ResyncReason.values()) {
            cluster(registry, "alru.cluster.resyncs", cache, stats -> stats.resyncs(reason),
                    "Times this instance dropped its copies because an invalidation may have been missed", "reason", reason.tag());
        }
    }

    private void cluster(MeterRegistry registry, String name, AlruMethodCache cache, ToLongFunction<ClusterStats> count,
            String description, String... tags) {
        FunctionCounter.builder(name, cache, c -> c.clusterStats().map(count::applyAsLong).orElse(0L))
                .tags(getTagsWithCacheName()).tags(tags)
                .description(description)
                .register(registry);
    }
}
