package io.github.alru.spring;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.List;

import org.springframework.core.ResolvableType;

/** The type of the value inside a cached method's future or publisher: {@code List<Pep>} for {@code CompletableFuture<List<Pep>>}. */
final class ResultTypes {

    private ResultTypes() {
    }

    static Type of(Method method, ReturnKind kind) {
        if (kind.suspending()) {
            // fun f(...): T compiles to Object f(..., Continuation<? super T>)
            Type[] parameters = method.getGenericParameterTypes();
            if (parameters[parameters.length - 1] instanceof ParameterizedType continuation) {
                Type result = continuation.getActualTypeArguments()[0];
                return result instanceof WildcardType wildcard && wildcard.getLowerBounds().length > 0
                        ? wildcard.getLowerBounds()[0] : result;
            }
            return Object.class;
        }
        ResolvableType result = ResolvableType.forMethodReturnType(method).getGeneric(0);
        Type element = result == ResolvableType.NONE || result.resolve() == null ? Object.class : result.getType();
        // A multi-value result is cached, and shared, as the list of its elements.
        return kind.form() == ReturnKind.Form.REACTIVE_MULTI
                ? ResolvableType.forClassWithGenerics(List.class, ResolvableType.forType(element)).getType() : element;
    }
}
