package io.github.alru.spring;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import io.github.alru.AlruCache;
import io.github.alru.AlruTieredLoad;
import io.github.alru.AlruTieredLoader;
import io.github.alru.cluster.ClusterCache;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ReactiveAdapter;

/**
 * The advice in front of one {@code @AlruCacheable} method: how a call becomes a key, a load and a
 * result of the method's return type, all resolved once when the bean is created.
 */
final class CachedMethodInterceptor implements MethodInterceptor {

    private final Method method;
    private final ReturnKind kind;
    private final AlruCache<Object, Object> cache;
    private final @Nullable ClusterCache cluster;
    private final boolean refreshes;

    CachedMethodInterceptor(Method method, ReturnKind kind, AlruCache<Object, Object> cache, @Nullable ClusterCache cluster) {
        this.method = method;
        this.kind = kind;
        this.cache = cache;
        this.cluster = cluster;
        this.refreshes = cache.settings().refresh() != null;
    }

    Method method() {
        return method;
    }

    /** Serves one intercepted call. */
    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        @Nullable Object[] keyArguments = kind.keyArguments(invocation.getArguments());
        Object key = MethodKeys.of(keyArguments);
        ReactiveAdapter adapter = kind.adapter();
        // The hit path: no loader to build. With refresh-ahead, a hit may need the loader, to reload;
        // a lazy reactive type must not look before it is subscribed to; a suspend function is awaited at once.
        if (!refreshes && (adapter == null || kind.suspending())) {
            CompletableFuture<Object> hit = cache.getIfPresent(key);
            if (hit != null) {
                return kind.suspending() ? ReactiveSupport.completed(hit.join()) : hit;
            }
        }
        if (adapter != null) {
            return ReactiveSupport.cached(adapter, cache, key, keyArguments, invocation, cluster);
        }
        MethodLoader loader = new MethodLoader(invocation);
        ClusterCache shared = cluster;
        CompletableFuture<Object> result = shared == null ? cache.get(key, loader) : cache.get(key, new SharedLoader(shared, invocation, loader));
        Throwable thrown = loader.thrown;
        if (thrown != null && result.isCompletedExceptionally()) {
            throw thrown; // thrown before the method returned its future: the caller sees it as without alru
        }
        return result; // (a reload that threw has not failed this call: it was served by the entry)
    }

    /** Loads and reloads a CLUSTER cache's entries through the cluster tier. */
    private static final class SharedLoader implements AlruTieredLoader<Object, Object> {
        private final ClusterCache cluster;
        private final MethodInvocation invocation;
        private final Function<Object, CompletionStage<Object>> method;

        SharedLoader(ClusterCache cluster, MethodInvocation invocation, Function<Object, CompletionStage<Object>> method) {
            this.cluster = cluster;
            this.invocation = invocation;
            this.method = method;
        }

        @Override
        public AlruTieredLoad<Object> apply(Object key) {
            return cluster.load(invocation.getArguments(), () -> method.apply(key), !NonBlockingThreads.isCurrent());
        }

        @Override
        public AlruTieredLoad<Object> reload(Object key) {
            // a refresh runs in the background: the hit that started it returns at once
            return cluster.reload(invocation.getArguments(), () -> method.apply(key), false);
        }
    }

    /**
     * Runs the method for a miss, remembering an exception it throws on the caller's thread instead
     * of returning a future. (A CLUSTER load that waited for another instance may run the method
     * later, on another thread; what it throws there reaches the caller through the future.)
     */
    private final class MethodLoader implements Function<Object, CompletionStage<Object>> {
        private final MethodInvocation invocation;
        private final Thread caller = Thread.currentThread();
        private @Nullable Throwable thrown;

        MethodLoader(MethodInvocation invocation) {
            this.invocation = invocation;
        }

        @Override
        @SuppressWarnings("unchecked")
        public CompletionStage<Object> apply(Object key) {
            Object future;
            try {
                future = invocation.proceed();
            } catch (Throwable e) {
                if (Thread.currentThread() == caller) {
                    thrown = e;
                }
                throw Invocations.rethrow(e);
            }
            if (future == null) {
                throw new NullPointerException("@AlruCacheable method " + MethodDescriptions.describe(method)
                        + " returned null instead of a future");
            }
            return (CompletionStage<Object>) future;
        }
    }
}
