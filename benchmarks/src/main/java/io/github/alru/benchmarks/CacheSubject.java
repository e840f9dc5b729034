package io.github.alru.benchmarks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.github.alru.AlruCache;
import io.github.alru.AlruCacheBuilder;
import io.github.alru.Eviction;

/** One cache under test, through the operations the core benchmarks use: alru (either engine) or Caffeine's AsyncCache. */
interface CacheSubject {

    /** The value every load produces. */
    Object VALUE = "value";

    /** A call as users make it: a hit, a join or a load. */
    CompletableFuture<Object> get(Integer key);

    /** The cheapest way to read a cached value: alru's get, Caffeine's getIfPresent. */
    CompletableFuture<Object> hit(Integer key);

    boolean invalidate(Integer key);

    void clear();

    Object info();

    static CacheSubject of(String engine, long maxSize, Duration ttl) {
        return switch (engine) {
            case "CAFFEINE" -> new CaffeineSubject(maxSize, ttl, true);
            case "CAFFEINE_DEFAULT" -> new CaffeineSubject(maxSize, ttl, false);
            default -> new AlruSubject(Eviction.valueOf(engine), maxSize, ttl);
        };
    }

    /** alru's engine, with a loader built once. */
    final class AlruSubject implements CacheSubject {
        private static final Function<Integer, CompletionStage<Object>> LOADER = key -> CompletableFuture.completedFuture(VALUE);
        private final AlruCache<Integer, Object> cache;

        AlruSubject(Eviction eviction, long maxSize, Duration ttl) {
            AlruCacheBuilder builder = AlruCache.builder().maxSize(maxSize).eviction(eviction);
            if (ttl != null) {
                builder.ttl(ttl);
            }
            cache = builder.build();
        }

        @Override
        public CompletableFuture<Object> get(Integer key) {
            return cache.get(key, LOADER);
        }

        @Override
        public CompletableFuture<Object> hit(Integer key) {
            return cache.get(key, LOADER);
        }

        @Override
        public boolean invalidate(Integer key) {
            return cache.invalidate(key);
        }

        @Override
        public void clear() {
            cache.clear();
        }

        @Override
        public Object info() {
            return cache.info();
        }
    }

    /**
     * Caffeine's own AsyncCache doing the same: with maintenance on the calling thread as alru's
     * TINY_LFU does ({@code CAFFEINE}), or with Caffeine's default executor ({@code CAFFEINE_DEFAULT}).
     */
    final class CaffeineSubject implements CacheSubject {
        private static final Function<Integer, Object> MAPPING = key -> VALUE;
        private final AsyncCache<Integer, Object> cache;

        CaffeineSubject(long maxSize, Duration ttl, boolean maintenanceOnCaller) {
            Caffeine<Object, Object> builder = Caffeine.newBuilder();
            if (maintenanceOnCaller) {
                builder.executor(Runnable::run);
            }
            if (maxSize >= 0) {
                builder.maximumSize(maxSize);
            }
            if (ttl != null) {
                builder.expireAfterWrite(ttl).scheduler(Scheduler.systemScheduler());
            }
            cache = builder.buildAsync();
        }

        @Override
        public CompletableFuture<Object> get(Integer key) {
            return cache.get(key, MAPPING);
        }

        @Override
        public CompletableFuture<Object> hit(Integer key) {
            return cache.getIfPresent(key);
        }

        @Override
        public boolean invalidate(Integer key) {
            return cache.asMap().remove(key) != null;
        }

        @Override
        public void clear() {
            cache.synchronous().invalidateAll();
        }

        @Override
        public Object info() {
            return cache.synchronous().estimatedSize();
        }
    }
}
