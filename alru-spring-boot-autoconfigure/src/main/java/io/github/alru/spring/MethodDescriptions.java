package io.github.alru.spring;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Collectors;

/** How alru names a method in messages and in the actuator endpoint. */
public final class MethodDescriptions {

    private MethodDescriptions() {
    }

    /**
     * Describes a method as {@code declaring.Class.method(ParamType, ...)}, with simple parameter type names.
     *
     * @param method the method
     * @return the description
     */
    public static String describe(Method method) {
        return method.getDeclaringClass().getName() + "." + signature(method);
    }


    /**
     * Describes a method as {@code method(ParamType, ...)}, without its class.
     *
     * @param method the method
     * @return the description
     */
    static String signature(Method method) {
        // A Kotlin suspend function is shown as it is written, without its trailing continuation.
        return method.getName() + Arrays.stream(method.getParameterTypes())
                .filter(type -> !type.getName().equals("kotlin.coroutines.Continuation")).map(Class::getSimpleName)
                .collect(Collectors.joining(", ", "(", ")"));
    }
}
