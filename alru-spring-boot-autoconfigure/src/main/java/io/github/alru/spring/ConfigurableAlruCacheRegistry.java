package io.github.alru.spring;

import java.util.function.Consumer;

import io.github.alru.AlruCacheRegistry;
import io.github.alru.AlruMethodCache;

/**
 * A registry that takes the caches alru creates as cached beans are created, and tells listeners
 * (such as the Micrometer binding) about each one. An application that defines its own
 * {@link AlruCacheRegistry} bean implements this interface, or extends {@link DefaultAlruCacheRegistry}.
 */
public interface ConfigurableAlruCacheRegistry extends AlruCacheRegistry {

    /**
     * Adds a cache and tells every listener about it.
     *
     * @param cache the cache
     * @throws AlruConfigurationException if another cache has the same name, naming both methods
     */
    void register(AlruMethodCache cache);

    /**
     * Calls {@code listener} for every cache registered so far, then for each one registered later.
     *
     * @param listener what to do with each cache
     */
    void forEachCache(Consumer<AlruMethodCache> listener);
}
