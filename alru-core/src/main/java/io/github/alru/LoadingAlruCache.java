package io.github.alru;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * An {@link AlruLoadingCache} over any engine: it remembers the loader and delegates the rest.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class LoadingAlruCache<K, V> implements AlruLoadingCache<K, V> {

    private final AlruCache<K, V> cache;
    private final Function<? super K, ? extends CompletionStage<V>> loader;

    LoadingAlruCache(AlruCache<K, V> cache, Function<? super K, ? extends CompletionStage<V>> loader) {
        this.cache = cache;
        this.loader = loader;
    }

    @Override
    public CompletableFuture<V> get(K key) {
        return cache.get(key, loader);
    }

    @Override
    public CompletableFuture<V> get(K key, Function<? super K, ? extends CompletionStage<V>> otherLoader) {
        return cache.get(key, otherLoader);
    }

    @Override
    public @Nullable CompletableFuture<V> getIfPresent(K key) {
        return cache.getIfPresent(key);
    }

    @Override
    public boolean contains(K key) {
        return cache.contains(key);
    }

    @Override
    public boolean invalidate(K key) {
        return cache.invalidate(key);
    }

    @Override
    public void invalidateAll() {
        cache.invalidateAll();
    }

    @Override
    public void clear() {
        cache.clear();
    }

    @Override
    public CompletableFuture<Void> close(boolean wait) {
        return cache.close(wait);
    }

    @Override
    public AlruCacheInfo info() {
        return cache.info();
    }

    @Override
    public AlruCacheParameters parameters() {
        return cache.parameters();
    }

    @Override
    public AlruCacheStats stats() {
        return cache.stats();
    }

    @Override
    public AlruCacheSettings settings() {
        return cache.settings();
    }

    @Override
    public String name() {
        return cache.name();
    }

    @Override
    public String toString() {
        return cache.toString();
    }
}
