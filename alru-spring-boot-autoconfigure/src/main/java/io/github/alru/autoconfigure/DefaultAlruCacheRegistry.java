package io.github.alru.autoconfigure;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.github.alru.AlruCacheRegistry;
import io.github.alru.AlruMethodCache;

/** The application's {@link AlruMethodCache}s by name, filled as beans with cached methods are created. */
public class DefaultAlruCacheRegistry implements AlruCacheRegistry {

    private final ConcurrentHashMap<String, AlruMethodCache> caches = new ConcurrentHashMap<>();
    private final List<Consumer<AlruMethodCache>> listeners = new CopyOnWriteArrayList<>();

    /**
     * Adds a cache and tells every listener about it.
     *
     * @param cache the cache
     * @throws IllegalStateException if a cache of the same name is registered already
     */
    public synchronized void register(AlruMethodCache cache) {
        AlruMethodCache previous = caches.putIfAbsent(cache.name(), cache);
        if (previous != null) {
            throw new IllegalStateException("alru cache name '" + cache.name() + "' is used twice: by "
                    + previous.method() + " and by " + cache.method());
        }
        listeners.forEach(listener -> listener.accept(cache));
    }

    /**
     * Calls {@code listener} for every cache registered so far, then for each one registered later,
     * whenever its bean is created.
     *
     * @param listener what to do with each cache, such as binding its meters
     */
    public synchronized void forEachCache(Consumer<AlruMethodCache> listener) {
        caches.values().forEach(listener);
        listeners.add(listener);
    }

    /**
     * Returns every registered cache.
     *
     * @return the caches, in no particular order
     */
    public Collection<AlruMethodCache> caches() {
        return List.copyOf(caches.values());
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(caches.keySet()));
    }

    @Override
    public Optional<AlruMethodCache> find(String name) {
        return Optional.ofNullable(caches.get(name));
    }

    @Override
    public AlruMethodCache get(String name) {
        AlruMethodCache cache = caches.get(name);
        if (cache == null) {
            throw new IllegalArgumentException("no alru cache is named '" + name + "'; the caches are " + names());
        }
        return cache;
    }
}
