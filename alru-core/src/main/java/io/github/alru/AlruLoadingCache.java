package io.github.alru;

import java.util.concurrent.CompletableFuture;

/**
 * An {@link AlruCache} that knows its loader, as built by {@link AlruCacheBuilder#build(java.util.function.Function)}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface AlruLoadingCache<K, V> extends AlruCache<K, V> {

    /**
     * Returns the value for {@code key}, loading it with the cache's own loader when needed; see
     * {@link AlruCache#get(Object, java.util.function.Function)}.
     *
     * @param key the key; {@code null} is rejected
     * @return a future of this caller's own
     */
    CompletableFuture<V> get(K key);
}
