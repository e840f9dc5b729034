package io.github.alru.spring;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Set;

import io.github.alru.AlruCacheable;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.util.ClassUtils;

/**
 * Registers, ahead of time, what a native image needs to cache a bean's {@link AlruCacheable}
 * methods: the bean's classes and interfaces, whose methods the post-processor lists to find the
 * annotated ones, and the types of the methods' values, which a {@code CLUSTER} cache writes and
 * reads as JSON. The proxy class itself is generated through
 * {@link AlruCacheableBeanPostProcessor#determineBeanType}.
 */
final class CachedMethodsAotProcessor implements BeanRegistrationAotProcessor {

    @Override
    public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
        Class<?> beanClass = ClassUtils.getUserClass(registeredBean.getBeanClass());
        Set<Method> methods = AlruCacheableBeanPostProcessor.cacheableMethods(beanClass).keySet();
        if (methods.isEmpty()) {
            return null;
        }
        return (generationContext, code) -> register(generationContext.getRuntimeHints(), beanClass, methods);
    }

    private static void register(RuntimeHints hints, Class<?> beanClass, Set<Method> methods) {
        for (Class<?> type = beanClass; type != null && type != Object.class; type = type.getSuperclass()) {
            hints.reflection().registerType(type);
        }
        for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(beanClass)) {
            hints.reflection().registerType(type);
        }
        BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();
        for (Method method : methods) {
            Type valueType = ResultTypes.of(method, ReturnKind.of(method));
            bindings.registerReflectionHints(hints.reflection(), valueType);
        }
    }
}
