package io.github.alru.spring;

import java.util.Set;

/**
 * Where the settings that override {@code @AlruCacheable} annotations come from. The
 * auto-configuration reads them from the {@code alru.*} properties.
 */
public interface AlruCacheOverrides {

    /** Overrides nothing: every cache as its annotation says. */
    AlruCacheOverrides NONE = new AlruCacheOverrides() {
        @Override
        public CacheOverride forCache(String cacheName) {
            return CacheOverride.NONE;
        }

        @Override
        public String source(String cacheName, String setting) {
            return "the " + setting + " of cache '" + cacheName + "'";
        }
    };

    /**
     * Tells whether caching is on at all; when off, every cache keeps nothing.
     *
     * @return {@code false} to disable every cache
     */
    default boolean cachingEnabled() {
        return true;
    }

    /**
     * Returns the overrides of one cache.
     *
     * @param cacheName the cache's name
     * @return its overrides, {@link CacheOverride#NONE} when there are none
     */
    CacheOverride forCache(String cacheName);

    /**
     * Says where a setting of a cache is written, for error messages: a property name, for example.
     *
     * @param cacheName the cache's name
     * @param setting the setting, in dashed form ({@code max-size}, {@code ttl}, ...)
     * @return the setting's source
     */
    String source(String cacheName, String setting);

    /**
     * Checks, once every bean is defined, that each override sets a known setting of one of these caches.
     *
     * @param cacheNames the names of every cache in the application
     * @throws AlruConfigurationException naming an override that sets nothing
     */
    default void checkCacheNames(Set<String> cacheNames) {
    }
}
