package io.github.alru.spring;

import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * Tells whether the current thread must never block: one of Reactor's non-blocking schedulers
 * ({@code parallel()}, {@code single()}) or a Netty thread (an event loop of Lettuce, Reactor
 * Netty or WebFlux). A CLUSTER miss on such a thread makes its first Redis round trip off it.
 */
final class NonBlockingThreads {

    private static final @Nullable Class<?> REACTOR_NON_BLOCKING = load("reactor.core.scheduler.NonBlocking");
    private static final @Nullable Class<?> NETTY_THREAD = load("io.netty.util.concurrent.FastThreadLocalThread");

    private NonBlockingThreads() {
    }

    static boolean isCurrent() {
        Thread current = Thread.currentThread();
        return (REACTOR_NON_BLOCKING != null && REACTOR_NON_BLOCKING.isInstance(current))
                || (NETTY_THREAD != null && NETTY_THREAD.isInstance(current));
    }

    private static @Nullable Class<?> load(String name) {
        ClassLoader loader = NonBlockingThreads.class.getClassLoader();
        return ClassUtils.isPresent(name, loader) ? ClassUtils.resolveClassName(name, loader) : null;
    }
}
