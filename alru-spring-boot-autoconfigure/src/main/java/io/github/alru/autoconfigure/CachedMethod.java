package io.github.alru.autoconfigure;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import io.github.alru.AlruCache;
import io.github.alru.AlruCacheInfo;
import io.github.alru.AlruCacheParameters;
import io.github.alru.AlruCacheSettings;
import io.github.alru.AlruCacheStats;
import io.github.alru.AlruMethodCache;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

/**
 * The cache of one {@code @AlruCacheable} method of one bean, and the advice in front of it: how a
 * call becomes a key, a load and a result of the method's return type, all resolved once when the
 * bean is created.
 */
final class CachedMethod implements AlruMethodCache, MethodInterceptor {

    private final String name;
    private final Method method;
    private final ReturnKind kind;
    private final AlruCache<Object, Object> cache;

    CachedMethod(String name, Method method, ReturnKind kind, AlruCache<Object, Object> cache) {
        this.name = name;
        this.method = method;
        this.kind = kind;
        this.cache = cache;
    }

    /** Serves one intercepted call. */
    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Object key = MethodKeys.of(invocation.getArguments());
        if (kind == ReturnKind.MONO) {
            return MonoSupport.cached(cache, key, invocation);
        }
        CompletableFuture<Object> hit = cache.getIfPresent(key);
        if (hit != null) {
            return hit; // the hit path: no loader to build, nothing else to allocate
        }
        MethodLoader loader = new MethodLoader(invocation);
        CompletableFuture<Object> result = cache.get(key, loader);
        if (loader.thrown != null) {
            throw loader.thrown; // thrown before the method returned its future: the caller sees it as without alru
        }
        return result;
    }

    /** Runs the method for a miss, remembering an exception it throws instead of returning a future. */
    private final class MethodLoader implements Function<Object, CompletionStage<Object>> {
        private final MethodInvocation invocation;
        private Throwable thrown;

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
                thrown = e;
                throw Invocations.rethrow(e);
            }
            if (future == null) {
                throw new NullPointerException("@AlruCacheable method " + CachedMethodFactory.describe(method)
                        + " returned null instead of a future");
            }
            return (CompletionStage<Object>) future;
        }
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
    public boolean contains(Object... args) {
        return cache.contains(keyOf(args));
    }

    @Override
    public boolean invalidate(Object... args) {
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

    private Object keyOf(Object[] args) {
        Object[] arguments = args == null ? new Object[] {null} : args;
        if (arguments.length != method.getParameterCount()) {
            throw new IllegalArgumentException("cache '" + name + "' of " + CachedMethodFactory.describe(method) + " takes "
                    + method.getParameterCount() + " argument(s), but " + arguments.length + " were given");
        }
        return MethodKeys.of(arguments);
    }

    @Override
    public String toString() {
        return "AlruMethodCache[" + name + " of " + CachedMethodFactory.describe(method) + ", " + cache.info() + "]";
    }
}
