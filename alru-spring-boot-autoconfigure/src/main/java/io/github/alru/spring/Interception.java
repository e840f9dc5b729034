package io.github.alru.spring;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * Checks that the proxy alru puts in front of a bean can intercept each {@code @AlruCacheable}
 * method; a method it cannot intercept would run on every call, never cached, without a word.
 */
final class Interception {

    private Interception() {
    }

    /**
     * Stops the start if a call through the proxy can never reach the method's advice.
     *
     * @param method the annotated method
     * @param targetClass the bean's class
     * @param jdkProxyInterfaces the interfaces of the JDK proxy in front of the bean, or {@code null} for a class-based proxy
     */
    static void check(Method method, Class<?> targetClass, Class<?> @Nullable [] jdkProxyInterfaces) {
        String culprit = "@AlruCacheable method " + MethodDescriptions.describe(method);
        int modifiers = method.getModifiers();
        if (Modifier.isStatic(modifiers)) {
            throw new AlruConfigurationException(culprit + " is static: a Spring proxy intercepts instance methods only,"
                    + " so it would never be cached; make it an instance method of the bean");
        }
        if (Modifier.isPrivate(modifiers)) {
            throw new AlruConfigurationException(culprit + " is private: a Spring proxy cannot intercept it,"
                    + " so it would never be cached; make it public");
        }
        if (jdkProxyInterfaces == null) {
            if (Modifier.isFinal(modifiers)) {
                throw new AlruConfigurationException(culprit + " is final: the class-based (CGLIB) proxy of "
                        + targetClass.getName() + " cannot override it, so it would never be cached; remove final");
            }
            if (Modifier.isFinal(targetClass.getModifiers())) {
                throw new AlruConfigurationException(culprit + " belongs to final class " + targetClass.getName()
                        + ", which no class-based (CGLIB) proxy can extend, so it would never be cached;"
                        + " remove final from the class");
            }
            return;
        }
        for (Class<?> type : jdkProxyInterfaces) {
            if (ClassUtils.hasMethod(type, method.getName(), method.getParameterTypes())) {
                return;
            }
        }
        throw new AlruConfigurationException(culprit + " is declared by no interface of the bean, which has a JDK proxy"
                + " (spring.aop.proxy-target-class=false) that intercepts interface methods only, so it would never be"
                + " cached; declare it in one of its interfaces, or use class-based proxies");
    }
}
