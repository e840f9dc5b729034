package io.github.alru.autoconfigure;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.BridgeMethodResolver;

/**
 * The advice on one bean: routes each call of an {@code @AlruCacheable} method to that method's
 * cache. The method a proxy reports (an interface method for a JDK proxy) is mapped once to the
 * bean's own method and remembered, so a call costs one map lookup.
 */
final class AlruCacheInterceptor implements MethodInterceptor {

    private static final Object NOT_CACHED = new Object();

    private final Class<?> targetClass;
    private final Map<Method, CachedMethod> byBeanMethod;
    private final Map<Method, Object> byInvokedMethod = new ConcurrentHashMap<>();

    AlruCacheInterceptor(Class<?> targetClass, Map<Method, CachedMethod> byBeanMethod) {
        this.targetClass = targetClass;
        this.byBeanMethod = Map.copyOf(byBeanMethod);
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        CachedMethod cached = resolve(invocation.getMethod());
        return cached == null ? invocation.proceed() : cached.invoke(invocation);
    }

    CachedMethod resolve(Method invoked) {
        Object found = byInvokedMethod.get(invoked);
        if (found == null) {
            Method beanMethod = BridgeMethodResolver.findBridgedMethod(AopUtils.getMostSpecificMethod(invoked, targetClass));
            CachedMethod cached = byBeanMethod.get(beanMethod);
            found = cached != null ? cached : NOT_CACHED;
            byInvokedMethod.put(invoked, found);
        }
        return found == NOT_CACHED ? null : (CachedMethod) found;
    }
}
