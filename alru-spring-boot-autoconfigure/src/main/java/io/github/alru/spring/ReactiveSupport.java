package io.github.alru.spring;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.github.alru.AlruCache;
import io.github.alru.AlruTieredLoad;
import io.github.alru.AlruTieredLoader;
import io.github.alru.cluster.ClusterCache;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.core.ReactiveAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Caches methods that return a type Spring's {@code ReactiveAdapterRegistry} adapts: {@code Mono},
 * {@code Flux}, RxJava 3, Mutiny, Kotlin {@code Flow}, ... Loaded only when reactor-core is
 * present. The returned value is lazy: the method runs on subscription, and only for a miss.
 * <ul>
 * <li>A single-value type ({@code Mono}, {@code Single}, {@code Maybe}, {@code Uni}) caches its one
 *     value; an empty result is cached as empty ({@code null}).</li>
 * <li>A multi-value type ({@code Flux}, {@code Observable}, {@code Flowable}, {@code Multi},
 *     {@code Flow}) is collected once into a list, cached, and replayed in order to every later
 *     subscriber, as its own type.</li>
 * </ul>
 * An error is never cached. Cancelling one subscription cancels that subscriber's own future only.
 */
final class ReactiveSupport {

    private ReactiveSupport() {
    }

    static Object cached(ReactiveAdapter adapter, AlruCache<Object, Object> cache, Object key, @Nullable Object[] args,
            MethodInvocation invocation, @Nullable ClusterCache cluster) {
        // Each subscription may load later, on another thread: keep a copy of the call to proceed with then.
        ProxyMethodInvocation captured = (ProxyMethodInvocation) ((ProxyMethodInvocation) invocation).invocableClone();
        Supplier<CompletableFuture<Object>> load = () -> load(adapter, captured);
        Mono<Object> value;
        if (cluster != null) {
            AlruTieredLoader<Object, Object> shared = new AlruTieredLoader<>() {
                @Override
                public AlruTieredLoad<Object> apply(Object k) {
                    return cluster.load(args, load, false);
                }

                @Override
                public AlruTieredLoad<Object> reload(Object k) {
                    return cluster.reload(args, load, false);
                }
            };
            value = Mono.defer(() -> Mono.fromFuture(cache.get(key, shared)));
        } else {
            value = Mono.defer(() -> Mono.fromFuture(cache.get(key, k -> load.get())));
        }
        if (adapter.isMultiValue()) {
            return adapter.fromPublisher(value.flatMapIterable(elements -> (List<?>) elements));
        }
        return adapter.fromPublisher(value);
    }

    /** The publisher of a suspend function's hit: already complete, so awaiting it resumes the caller at once. */
    static Object completed(@Nullable Object value) {
        return Mono.justOrEmpty(value);
    }

    /** Runs the method and reads its publisher: the one value, or every element collected into a list. */
    private static CompletableFuture<Object> load(ReactiveAdapter adapter, ProxyMethodInvocation captured) {
        Object returned = Invocations.proceed(captured.invocableClone());
        if (returned == null) {
            throw new NullPointerException("@AlruCacheable method " + MethodDescriptions.describe(captured.getMethod())
                    + " returned null instead of a " + adapter.getReactiveType().getSimpleName());
        }
        if (adapter.isMultiValue()) {
            return Flux.from(adapter.toPublisher(returned)).collectList().<Object>map(list -> list).toFuture();
        }
        return Mono.from(adapter.toPublisher(returned)).toFuture();
    }
}
