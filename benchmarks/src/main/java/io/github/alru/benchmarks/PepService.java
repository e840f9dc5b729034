package io.github.alru.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

import io.github.alru.AlruCacheable;
import io.github.alru.Eviction;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.scheduling.annotation.Async;

/** The method under test in every Spring variant: returns a completed future, counting executions. */
public class PepService {

    /**
     * Executions of any variant's method; the stampede reads it. Striped, so that the no-op
     * proxy's baseline, which executes on every call, pays no shared write at {@code -t 2}.
     */
    static final LongAdder EXECUTIONS = new LongAdder();

    /** How long an execution takes; 0 while measuring hits. */
    static volatile long workMillis;

    static final String VALUE = "PEP";

    /**
     * Does the "work".
     *
     * @param number the key
     * @return a completed future
     */
    public CompletableFuture<String> fetch(Integer number) {
        EXECUTIONS.increment();
        if (workMillis > 0) {
            try {
                Thread.sleep(workMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return CompletableFuture.completedFuture(VALUE);
    }

    /** Spring's @Cacheable on a Caffeine cache in async mode. */
    public static class SpringCacheable extends PepService {
        @Override
        @Cacheable("peps")
        public CompletableFuture<String> fetch(Integer number) {
            return super.fetch(number);
        }
    }

    /** Spring's @Cacheable(sync = true): one execution per key, through Caffeine's AsyncCache.get. */
    public static class SpringCacheableSync extends PepService {
        @Override
        @Cacheable(cacheNames = "peps", sync = true)
        public CompletableFuture<String> fetch(Integer number) {
            return super.fetch(number);
        }
    }

    /** Spring's @Cacheable(sync = true) on an @Async method. */
    public static class SpringCacheableSyncAsync extends PepService {
        @Override
        @Async
        @Cacheable(cacheNames = "peps", sync = true)
        public CompletableFuture<String> fetch(Integer number) {
            return super.fetch(number);
        }
    }

    /** Spring's @Cacheable on an @Async method. */
    public static class SpringCacheableAsync extends PepService {
        @Override
        @Async
        @Cacheable("peps")
        public CompletableFuture<String> fetch(Integer number) {
            return super.fetch(number);
        }
    }

    /** alru, exact LRU. */
    public static class AlruLru extends PepService {
        @Override
        @AlruCacheable(eviction = Eviction.LRU)
        public CompletableFuture<String> fetch(Integer number) {
            return super.fetch(number);
        }
    }

    /** alru, exact LRU, bounded at 2,048: room for the 1,024 keys of {@link WarmKeysSpringHitBenchmark}. */
    public static class AlruLruWide extends PepService {
        @Override
        @AlruCacheable(eviction = Eviction.LRU, maxSize = 2 * WarmKeysHitBenchmark.KEY_COUNT)
        public CompletableFuture<String> fetch(Integer number) {
            return super.fetch(number);
        }
    }

    /** alru, W-TinyLFU, bounded at 2,048. */
    public static class AlruTinyLfuWide extends PepService {
        @Override
        @AlruCacheable(eviction = Eviction.TINY_LFU, maxSize = 2 * WarmKeysHitBenchmark.KEY_COUNT)
        public CompletableFuture<String> fetch(Integer number) {
            return super.fetch(number);
        }
    }

    /** alru, W-TinyLFU. */
    public static class AlruTinyLfu extends PepService {
        @Override
        @AlruCacheable(eviction = Eviction.TINY_LFU)
        public CompletableFuture<String> fetch(Integer number) {
            return super.fetch(number);
        }
    }

    /** alru, exact LRU, on an @Async method. */
    public static class AlruLruAsync extends PepService {
        @Override
        @Async
        @AlruCacheable(eviction = Eviction.LRU)
        public CompletableFuture<String> fetch(Integer number) {
            return super.fetch(number);
        }
    }

    /** alru, W-TinyLFU, on an @Async method. */
    public static class AlruTinyLfuAsync extends PepService {
        @Override
        @Async
        @AlruCacheable(eviction = Eviction.TINY_LFU)
        public CompletableFuture<String> fetch(Integer number) {
            return super.fetch(number);
        }
    }
}
