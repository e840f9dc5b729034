package io.github.alru.spring;

import java.util.concurrent.CompletableFuture;

import io.github.alru.AlruCache;
import io.github.alru.AlruTieredLoad;
import io.github.alru.AlruTieredLoader;
import io.github.alru.cluster.ClusterCache;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.ProxyMethodInvocation;
import reactor.core.publisher.Mono;

/**
 * Caches methods returning {@link Mono}. Loaded only when reactor-core is present. The returned
 * Mono is lazy: the method runs on subscription, and only for a miss. An empty Mono is cached as
 * an empty result; cancelling a subscription cancels that subscriber's own future only.
 */
final class MonoSupport {

    private MonoSupport() {
    }

    static Mono<Object> cached(AlruCache<Object, Object> cache, Object key, MethodInvocation invocation,
            @Nullable ClusterCache cluster) {
        // Each subscription may load later, on another thread: keep a copy of the call to proceed with then.
        ProxyMethodInvocation captured = (ProxyMethodInvocation) ((ProxyMethodInvocation) invocation).invocableClone();
        if (cluster != null) {
            @Nullable Object[] args = captured.getArguments();
            AlruTieredLoader<Object, Object> shared = new AlruTieredLoader<>() {
                @Override
                public AlruTieredLoad<Object> apply(Object k) {
                    return cluster.load(args, () -> load(captured), false);
                }

                @Override
                public AlruTieredLoad<Object> reload(Object k) {
                    return cluster.reload(args, () -> load(captured), false);
                }
            };
            return Mono.defer(() -> Mono.fromFuture(cache.get(key, shared)));
        }
        return Mono.defer(() -> Mono.fromFuture(cache.get(key, k -> load(captured))));
    }

    @SuppressWarnings("unchecked")
    private static CompletableFuture<Object> load(ProxyMethodInvocation captured) {
        Object mono = Invocations.proceed(captured.invocableClone());
        if (mono == null) {
            throw new NullPointerException("@AlruCacheable method " + MethodDescriptions.describe(captured.getMethod())
                    + " returned null instead of a Mono");
        }
        return ((Mono<Object>) mono).toFuture();
    }
}
