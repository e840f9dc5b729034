package io.github.alru;

import java.util.Optional;
import java.util.Set;

/** Every {@link AlruCacheable} method cache of an application, by name. */
public interface AlruCacheRegistry {

    /**
     * Returns the names of all caches.
     *
     * @return the names, in no particular order
     */
    Set<String> names();

    /**
     * Finds a cache by name.
     *
     * @param name the cache's name
     * @return the cache, or empty when there is none of that name
     */
    Optional<AlruMethodCache> find(String name);

    /**
     * Returns a cache by name.
     *
     * @param name the cache's name
     * @return the cache
     * @throws IllegalArgumentException naming {@code name} when there is no such cache
     */
    AlruMethodCache get(String name);
}
