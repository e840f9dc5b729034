package io.github.alru.spring;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.github.alru.AlruCache;
import io.github.alru.AlruCacheInfo;
import io.github.alru.AlruCacheParameters;
import io.github.alru.AlruCacheSettings;
import io.github.alru.AlruCacheStats;
import io.github.alru.AlruMethodCache;
import io.github.alru.Scope;
import io.github.alru.cluster.ClusterCache;
import io.github.alru.cluster.ClusterStats;
import io.github.alru.cluster.LocalCopy;
import org.jspecify.annotations.Nullable;

/**
 * The management view of one {@code @AlruCacheable} method's cache: its entries addressed by the
 * method's arguments. For a CLUSTER cache it is also the local copy the cluster tier invalidates,
 * and its own invalidations and clears reach every instance.
 */
final class MethodCache implements AlruMethodCache, LocalCopy {

    private final String name;
    private final Method method;
    private final int keyArgumentCount; // the method's parameters, less a suspend function's continuation
    private final AlruCache<Object, Object> cache;
    private final boolean enabled;
    private final Scope scope;
    private volatile @Nullable ClusterCache cluster; // set once, when the cache joins the tier

    MethodCache(String name, Method method, int keyArgumentCount, AlruCache<Object, Object> cache, boolean enabled, Scope scope) {
        this.name = name;
        this.method = method;
        this.keyArgumentCount = keyArgumentCount;
        this.cache = cache;
        this.enabled = enabled;
        this.scope = scope;
    }

    void joined(ClusterCache clusterCache) {
        this.cluster = clusterCache;
    }

    @Nullable ClusterCache cluster() {
        return cluster;
    }

    @Override
    public Scope scope() {
        return scope;
    }

    @Override
    public Optional<ClusterStats> clusterStats() {
        ClusterCache current = cluster;
        return current == null ? Optional.empty() : Optional.of(current.stats());
    }

    @Override
    public void invalidateLocally(@Nullable Object[] args) {
        cache.invalidate(MethodKeys.of(args));
    }

    @Override
    public void invalidateAllLocally() {
        cache.invalidateAll();
    }

    @Override
    public void clearLocally() {
        cache.clear();
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
        boolean removed = cache.invalidate(keyOf(args));
        ClusterCache current = cluster;
        if (current != null) {
            current.invalidate(args == null ? new Object[] {null} : args);
        }
        return removed;
    }

    @Override
    public void clear() {
        cache.clear();
        ClusterCache current = cluster;
        if (current != null) {
            current.clear();
        }
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
        if (arguments.length != keyArgumentCount) {
            throw new IllegalArgumentException("cache '" + name + "' of " + MethodDescriptions.describe(method) + " takes "
                    + keyArgumentCount + " argument(s), but " + arguments.length + " were given");
        }
        return MethodKeys.of(arguments);
    }

    @Override
    public String toString() {
        return "AlruMethodCache[" + name + " of " + MethodDescriptions.describe(method) + (enabled ? ", " : ", disabled, ")
                + cache.info() + "]";
    }
}
