package io.github.alru.spring;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.springframework.util.ClassUtils;

/** The asynchronous return types an {@code @AlruCacheable} method may declare. */
enum ReturnKind {

    COMPLETABLE_FUTURE,
    COMPLETION_STAGE,
    /** Reactor's {@code Mono}: only when reactor-core is on the class path. */
    MONO;

    private static final String MONO_CLASS = "reactor.core.publisher.Mono";

    static ReturnKind of(Method method) {
        Class<?> type = method.getReturnType();
        if (type == CompletableFuture.class) {
            return COMPLETABLE_FUTURE;
        }
        if (type == CompletionStage.class) {
            return COMPLETION_STAGE;
        }
        if (type.getName().equals(MONO_CLASS)) {
            return MONO;
        }
        boolean reactor = ClassUtils.isPresent(MONO_CLASS, method.getDeclaringClass().getClassLoader());
        throw new AlruConfigurationException("@AlruCacheable method " + MethodDescriptions.describe(method)
                + " of " + method.getDeclaringClass().getName() + " returns " + type.getName()
                + ", which alru cannot cache; it supports CompletableFuture<T>, CompletionStage<T>"
                + (reactor ? " and Mono<T>" : " and, with reactor-core on the class path, Mono<T>"));
    }
}
