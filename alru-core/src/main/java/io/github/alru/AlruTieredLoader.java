package io.github.alru;

import java.util.function.Function;

/**
 * A loader that asks a second tier, shared by several caches (such as the cluster tier on Redis),
 * before it runs the real load. A call that starts such a load counts as a hit when the shared tier
 * answers, and as a miss otherwise, once the load completes.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface AlruTieredLoader<K, V> extends Function<K, AlruTieredLoad<V>> {

    /**
     * Reloads a finished entry due for refresh. The shared tier may answer with a value another
     * cache reloaded lately instead of running the real load.
     *
     * @param key the key
     * @return the reload
     */
    default AlruTieredLoad<V> reload(K key) {
        return apply(key);
    }
}
