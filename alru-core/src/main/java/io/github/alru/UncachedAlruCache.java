package io.github.alru;

/**
 * The engine for {@code maxSize} 0, whatever the eviction policy: it keeps nothing, so every call
 * is a miss and runs the loader; failures, cancellation and closing behave as in any cache.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class UncachedAlruCache<K, V> extends AbstractAlruCache<K, V> {

    UncachedAlruCache(CacheSettings settings) {
        super(settings);
    }

    @Override
    Load<V> newLoad(Object key) {
        return new Load<>(key, this);
    }

    @Override
    Load<V> find(Object key) {
        return null;
    }

    @Override
    Load<V> insertIfAbsent(Object key, Load<V> load) {
        return null;
    }

    @Override
    void store(Load<V> load, V value) {
        load.finishEntry(value); // marks the load succeeded; nothing holds it
    }

    @Override
    void discard(Load<V> load) {
        // Nothing was kept.
    }

    @Override
    boolean replace(Load<V> old, Load<V> fresh, V value) {
        return false;
    }

    @Override
    boolean containsKey(Object key) {
        return false;
    }

    @Override
    boolean remove(Object key) {
        return false;
    }

    @Override
    void removeAll() {
        // Nothing is kept.
    }

    @Override
    long size() {
        return 0;
    }
}
