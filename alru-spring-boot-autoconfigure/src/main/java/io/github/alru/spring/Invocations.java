package io.github.alru.spring;

import org.aopalliance.intercept.MethodInvocation;

/** Runs an intercepted method from a loader, which may not throw checked exceptions. */
final class Invocations {

    private Invocations() {
    }

    /** Proceeds with the invocation, rethrowing whatever it throws unchanged, checked or not. */
    static Object proceed(MethodInvocation invocation) {
        try {
            return invocation.proceed();
        } catch (Throwable thrown) {
            throw rethrow(thrown);
        }
    }

    /** Throws {@code thrown} unchanged, checked or not; declared to return so callers can write {@code throw rethrow(t)}. */
    static RuntimeException rethrow(Throwable thrown) {
        throw Invocations.<RuntimeException>sneaky(thrown);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable thrown) throws T {
        throw (T) thrown;
    }
}
