package io.github.alru.spring;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;

import io.github.alru.AlruCache;
import io.github.alru.AlruCacheInfo;
import io.github.alru.AlruCacheParameters;
import io.github.alru.AlruCacheSettings;
import io.github.alru.AlruCacheStats;
import io.github.alru.AlruMethodCache;
import org.jspecify.annotations.Nullable;

/** The management view of one {@code @AlruCacheable} method's cache: its entries addressed by the method's arguments. */
final class MethodCache implements AlruMethodCache {

    private final String name;
    private final Method method;
    private final AlruCache<Object, Object> cache;
    private final boolean enabled;

    MethodCache(String name, Method method, AlruCache<Object, Object> cache, boolean enabled) {
        this.name = name;
        this.method = method;
        this.cache = cache;
        this.enabled = enabled;
    }

    AlruCache<Object, Object> cache() {
        return cache;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Method method() {
        return method;
    }

    @Override
    public boolean enabled() {
        return enabled;
    }

    @Override
    public boolean contains(@Nullable Object @Nullable ... args) {
        return cache.contains(keyOf(args));
    }

    @Override
    public boolean invalidate(@Nullable Object @Nullable ... args) {
        return cache.invalidate(keyOf(args));
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

    private Object keyOf(@Nullable Object @Nullable [] args) {
        @Nullable Object[] arguments = args == null ? new Object[] {null} : args;
        if (arguments.length != method.getParameterCount()) {
            throw new IllegalArgumentException("cache '" + name + "' of " + MethodDescriptions.describe(method) + " takes "
                    + method.getParameterCount() + " argument(s), but " + arguments.length + " were given");
        }
        return MethodKeys.of(arguments);
    }

    @Override
    public String toString() {
        return "AlruMethodCache[" + name + " of " + MethodDescriptions.describe(method) + (enabled ? ", " : ", disabled, ")
                + cache.info() + "]";
    }
}
