package io.github.alru.spring;

import java.lang.reflect.Method;
import java.lang.reflect.Type;

import org.springframework.core.ResolvableType;

/** The type of the value inside a cached method's future or publisher: {@code List<Pep>} for {@code CompletableFuture<List<Pep>>}. */
final class ResultTypes {

    private ResultTypes() {
    }

    static Type of(Method method) {
        ResolvableType result = ResolvableType.forMethodReturnType(method).getGeneric(0);
        return result == ResolvableType.NONE || result.resolve() == null ? Object.class : result.getType();
    }
}
