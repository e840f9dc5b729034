package io.github.alru.spring;

import java.lang.reflect.Method;

import org.aopalliance.aop.Advice;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.BridgeMethodResolver;

/**
 * The advice of one cached method, matching that method only, whether a proxy reports it as the
 * bean's own method (CGLIB) or as the interface method it implements (JDK proxy). Spring resolves
 * the match once per method and keeps the chain, so a call reaches its cache without a lookup.
 *
 * <p>The pointcut describes itself by its method, so that beans of one class with the same cached
 * methods share one proxy class, and the class Spring AOT generates is the one looked up at run time.
 */
final class CachedMethodAdvisor extends DefaultPointcutAdvisor {

    private static final long serialVersionUID = 1L;

    CachedMethodAdvisor(Class<?> targetClass, CachedMethodInterceptor interceptor) {
        this(targetClass, interceptor.method(), interceptor);
    }

    CachedMethodAdvisor(Class<?> targetClass, Method cachedMethod, Advice advice) {
        super(new StaticMethodMatcherPointcut() {
            @Override
            public boolean matches(Method method, Class<?> type) {
                Method beanMethod = BridgeMethodResolver.findBridgedMethod(AopUtils.getMostSpecificMethod(method, targetClass));
                return beanMethod.equals(cachedMethod);
            }

            @Override
            public String toString() {
                return "@AlruCacheable " + cachedMethod.toGenericString();
            }
        }, advice);
    }
}
