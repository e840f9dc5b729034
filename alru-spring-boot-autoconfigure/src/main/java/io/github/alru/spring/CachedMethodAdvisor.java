package io.github.alru.spring;

import java.lang.reflect.Method;

import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.BridgeMethodResolver;

/**
 * The advice of one cached method, matching that method only, whether a proxy reports it as the
 * bean's own method (CGLIB) or as the interface method it implements (JDK proxy). Spring resolves
 * the match once per method and keeps the chain, so a call reaches its cache without a lookup.
 */
final class CachedMethodAdvisor extends DefaultPointcutAdvisor {

    private static final long serialVersionUID = 1L;

    CachedMethodAdvisor(Class<?> targetClass, CachedMethodInterceptor interceptor) {
        super(new StaticMethodMatcherPointcut() {
            @Override
            public boolean matches(Method method, Class<?> type) {
                Method beanMethod = BridgeMethodResolver.findBridgedMethod(AopUtils.getMostSpecificMethod(method, targetClass));
                return beanMethod.equals(interceptor.method());
            }
        }, interceptor);
    }
}
