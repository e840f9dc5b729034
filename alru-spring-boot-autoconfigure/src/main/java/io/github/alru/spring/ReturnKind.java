package io.github.alru.spring;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;
import org.springframework.core.KotlinDetector;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.util.ClassUtils;

/**
 * What an {@code @AlruCacheable} method returns, resolved once when its bean is created: a
 * {@code CompletableFuture}, a {@code CompletionStage}, or, when reactor-core is present, any type
 * Spring's {@link ReactiveAdapterRegistry} adapts ({@code Mono}, {@code Flux}, RxJava 3, Mutiny,
 * Kotlin {@code Flow}, ...), single- or multi-value.
 *
 * @param form the form of the result
 * @param adapter the reactive adapter, for the reactive forms
 */
record ReturnKind(Form form, @Nullable ReactiveAdapter adapter) {

    enum Form { COMPLETABLE_FUTURE, COMPLETION_STAGE, REACTIVE_SINGLE, REACTIVE_MULTI, SUSPEND }

    private static final String MONO_CLASS = "reactor.core.publisher.Mono";

    private static final String COROUTINES_REACTOR_CLASS = "kotlinx.coroutines.reactor.MonoKt";

    /** The reactive types a user may know by name, and the library each needs. */
    private static final Map<String, String> KNOWN_REACTIVE_TYPES = Map.ofEntries(
            Map.entry("reactor.core.publisher.Mono", "Mono<T>"), Map.entry("reactor.core.publisher.Flux", "Flux<T>"),
            Map.entry("io.reactivex.rxjava3.core.Single", "Single<T>"), Map.entry("io.reactivex.rxjava3.core.Maybe", "Maybe<T>"),
            Map.entry("io.reactivex.rxjava3.core.Observable", "Observable<T>"),
            Map.entry("io.reactivex.rxjava3.core.Flowable", "Flowable<T>"),
            Map.entry("io.smallrye.mutiny.Uni", "Uni<T>"), Map.entry("io.smallrye.mutiny.Multi", "Multi<T>"),
            Map.entry("kotlinx.coroutines.flow.Flow", "Flow<T>"));

    boolean reactive() {
        return adapter != null;
    }

    /** A Kotlin {@code suspend} function: its trailing {@code Continuation} is no argument of the cache key. */
    boolean suspending() {
        return form == Form.SUSPEND;
    }

    /** The arguments that make a key: all of them, less a suspend function's continuation. */
    @Nullable Object[] keyArguments(@Nullable Object[] arguments) {
        return suspending() ? Arrays.copyOf(arguments, arguments.length - 1) : arguments;
    }

    /** How many arguments make a key. */
    int keyArgumentCount(Method method) {
        return suspending() ? method.getParameterCount() - 1 : method.getParameterCount();
    }

    static ReturnKind of(Method method) {
        Class<?> type = method.getReturnType();
        if (type == CompletableFuture.class) {
            return new ReturnKind(Form.COMPLETABLE_FUTURE, null);
        }
        if (type == CompletionStage.class) {
            return new ReturnKind(Form.COMPLETION_STAGE, null);
        }
        ClassLoader loader = method.getDeclaringClass().getClassLoader();
        boolean reactor = ClassUtils.isPresent(MONO_CLASS, loader);
        if (KotlinDetector.isSuspendingFunction(method)) {
            if (!reactor || !ClassUtils.isPresent(COROUTINES_REACTOR_CLASS, loader)) {
                throw new AlruConfigurationException("@AlruCacheable suspend function " + MethodDescriptions.describe(method)
                        + " needs kotlinx-coroutines-reactor (and reactor-core) on the class path, as Spring's AOP does"
                        + " for suspend functions");
            }
            // Spring's AOP hands interceptors of a suspend function a Mono, and awaits what they return.
            return new ReturnKind(Form.SUSPEND, ReactiveAdapterRegistry.getSharedInstance()
                    .getAdapter(ClassUtils.resolveClassName(MONO_CLASS, loader)));
        }
        if (reactor) {
            ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(type);
            if (adapter != null && !CompletionStage.class.isAssignableFrom(type)) {
                return new ReturnKind(adapter.isMultiValue() ? Form.REACTIVE_MULTI : Form.REACTIVE_SINGLE, adapter);
            }
        }
        throw new AlruConfigurationException("@AlruCacheable method " + MethodDescriptions.describe(method)
                + " of " + method.getDeclaringClass().getName() + " returns " + type.getName()
                + ", which alru cannot cache; it supports " + supported(reactor, loader));
    }

    /** The types alru supports with the libraries present, and a word on the others. */
    private static String supported(boolean reactor, @Nullable ClassLoader loader) {
        List<String> types = new ArrayList<>(List.of("CompletableFuture<T>", "CompletionStage<T>"));
        if (!reactor) {
            return String.join(", ", types) + " and, with reactor-core on the class path, Mono<T>, Flux<T> and every"
                    + " other type Spring's ReactiveAdapterRegistry adapts (RxJava 3, Mutiny, ...)";
        }
        KNOWN_REACTIVE_TYPES.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .filter(entry -> ClassUtils.isPresent(entry.getKey(), loader))
                .forEach(entry -> types.add(entry.getValue()));
        return String.join(", ", types) + " (the reactive ones present here), and any other type Spring's"
                + " ReactiveAdapterRegistry adapts";
    }
}
