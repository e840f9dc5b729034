package io.github.alru.spring;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.github.alru.AlruMethodCache;

/**
 * The application's {@link AlruMethodCache}s by name, filled as beans with cached methods are
 * created. It is the one place that keeps cache names unique.
 */
public class DefaultAlruCacheRegistry implements ConfigurableAlruCacheRegistry {

    /** Creates a DefaultAlruCacheRegistry. */
    public DefaultAlruCacheRegistry() {
    }

    private final ConcurrentHashMap<String, AlruMethodCache> caches = new ConcurrentHashMap<>();
    private final List<Consumer<AlruMethodCache>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public synchronized void register(AlruMethodCache cache) {
        AlruMethodCache previous = caches.putIfAbsent(cache.name(), cache);
        if (previous != null) {
            boolean overloads = previous.method().getName().equals(cache.method().getName())
                    && previous.method().getDeclaringClass() == cache.method().getDeclaringClass();
            throw new AlruConfigurationException("alru cache name '" + cache.name() + "' is used by two methods: "
                    + MethodDescriptions.describe(previous.method()) + " and " + MethodDescriptions.describe(cache.method())
                    + (overloads ? "; give overloads distinct names with @AlruCacheable(name = \"...\")"
                            : "; give one of them another name with @AlruCacheable(name = \"...\")"));
        }
        listeners.forEach(listener -> listener.accept(cache));
    }

    @Override
    public synchronized void forEachCache(Consumer<AlruMethodCache> listener) {
        caches.values().forEach(listener);
        listeners.add(listener);
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
