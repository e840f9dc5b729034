package io.github.alru;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Scheduler;

/**
 * The {@link Eviction#TINY_LFU} engine, on Caffeine's {@link AsyncCache}: W-TinyLFU, its timer
 * wheel and its scheduler. Caffeine stores each {@link Load} as the entry's future: a load in
 * flight weighs nothing (so it is never evicted) and never expires; when the load completes,
 * Caffeine's own completion handler re-weighs it and starts its ttl, but only if it is still the
 * key's entry. Maintenance runs on the calling thread, and a completion waits for it (Caffeine
 * alone skips it when another thread holds its eviction lock, and a fault soak saw the bound
 * exceeded), so the size bound holds when a call returns.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class TinyLfuAlruCache<K, V> extends AbstractAlruCache<K, V> {

    private final AsyncCache<Object, Object> cache;
    private final ConcurrentMap<Object, CompletableFuture<Object>> map;
    private final Cache<Object, Object> synchronous;

    TinyLfuAlruCache(CacheSettings settings) {
        super(settings);
        Caffeine<Object, Object> builder = Caffeine.newBuilder().executor(Runnable::run)
                .evictionListener((key, value, cause) -> recordEviction());
        if (settings.maxSize() != UNBOUNDED) {
            builder.maximumSize(settings.maxSize());
        }
        if (settings.expires()) {
            builder.expireAfter(new LifetimeExpiry(settings)).scheduler(Scheduler.systemScheduler());
        }
        if (!(settings.ticker() instanceof SystemTicker)) {
            Ticker ticker = settings.ticker();
            builder.ticker(ticker::read);
        }
        this.cache = builder.buildAsync();
        this.map = cache.asMap();
        this.synchronous = cache.synchronous();
    }

    @Override
    Load<V> newLoad(Object key) {
        return new Load<>(key, this);
    }

    @Override
    @SuppressWarnings("unchecked")
    Load<V> find(Object key) {
        return (Load<V>) cache.getIfPresent(key);
    }

    @Override
    @SuppressWarnings("unchecked")
    Load<V> insertIfAbsent(Object key, Load<V> load) {
        return (Load<V>) map.putIfAbsent(key, load);
    }

    @Override
    void store(Load<V> load, V value) {
        load.finishEntry(value);
        if (settings.maxSize() != UNBOUNDED) {
            // Caffeine re-weighs the entry now, but evicts for it only if it gets the eviction lock
            // at once; otherwise the eviction waits for a later call. Run it before returning.
            synchronous.cleanUp();
        }
        if (synchronous.policy().getIfPresentQuietly(load.key) == load) {
            recordPut();
        }
    }

    @Override
    boolean replace(Load<V> old, Load<V> fresh, V value) {
        fresh.finishEntry(value); // finished first, so that Caffeine computes its lifetime as it goes in
        if (map.replace(old.key, old, fresh)) {
            recordPut();
            return true;
        }
        return false;
    }

    @Override
    void discard(Load<V> load) {
        map.remove(load.key, load);
    }

    @Override
    boolean containsKey(Object key) {
        return map.containsKey(key);
    }

    @Override
    boolean remove(Object key) {
        return map.remove(key) != null;
    }

    @Override
    void removeAll() {
        map.clear();
    }

    @Override
    long size() {
        synchronous.cleanUp();
        if (!settings.expires()) {
            return synchronous.estimatedSize();
        }
        // Caffeine's timer wheel removes an expired entry only once its bucket's tick (about a
        // second) has passed, but its iterators skip expired entries: count those, so that an
        // entry is gone from currentSize the moment it expires.
        long live = 0;
        for (Object ignored : map.keySet()) {
            live++;
        }
        return live;
    }

    /** Expire-after-write with jitter: a finished entry lives its lifetime; reads never extend it. */
    private static final class LifetimeExpiry implements Expiry<Object, Object> {
        private final CacheSettings settings;

        LifetimeExpiry(CacheSettings settings) {
            this.settings = settings;
        }

        @Override
        public long expireAfterCreate(Object key, Object value, long currentTime) {
            return value instanceof Load<?> load ? load.lifetime(settings) : settings.lifetimeNanos();
        }

        @Override
        public long expireAfterUpdate(Object key, Object value, long currentTime, long currentDuration) {
            // Only a refresh replaces a finished entry: the new value's lifetime starts now.
            return value instanceof Load<?> load && load.isDone() ? load.lifetime(settings) : currentDuration;
        }

        @Override
        public long expireAfterRead(Object key, Object value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
