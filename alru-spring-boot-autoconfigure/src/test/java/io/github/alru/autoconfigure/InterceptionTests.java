package io.github.alru.autoconfigure;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static io.github.alru.autoconfigure.StartupFailures.assertStartFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.alru.AlruCacheable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Semantics item 16: a cached method the proxy cannot intercept stops the start naming it and why,
 * and a call to a cached method on {@code this}, which bypasses the proxy, is found in the class's
 * bytecode and logged once per pair of methods.
 */
@ExtendWith(OutputCaptureExtension.class)
class InterceptionTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AlruAutoConfiguration.class));

    static class PrivateMethod {
        public CompletableFuture<String> open() {
            return secret();
        }

        @AlruCacheable
        private CompletableFuture<String> secret() {
            return completedFuture("x");
        }
    }

    static class StaticMethod {
        @AlruCacheable
        public static CompletableFuture<String> shared() {
            return completedFuture("x");
        }
    }

    static class FinalMethod {
        @AlruCacheable
        public final CompletableFuture<String> fixed() {
            return completedFuture("x");
        }
    }

    static final class FinalClass {
        @AlruCacheable
        public CompletableFuture<String> fetch() {
            return completedFuture("x");
        }
    }

    interface Api {
        CompletableFuture<String> declared();
    }

    static class NotOnTheInterface implements Api {
        @Override
        public CompletableFuture<String> declared() {
            return completedFuture("x");
        }

        @AlruCacheable
        public CompletableFuture<String> extra() {
            return completedFuture("x");
        }
    }

    static class FinalButOnTheInterface implements Api {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        @AlruCacheable(name = "declared")
        public final CompletableFuture<String> declared() {
            return completedFuture("run " + runs.incrementAndGet());
        }
    }

    @Test
    void aPrivateCachedMethodStopsTheStart() {
        assertStartFailsWith(runner.withBean("bean", PrivateMethod.class),
                "@AlruCacheable method " + PrivateMethod.class.getName() + ".secret() is private",
                "would never be cached", "make it public");
    }

    @Test
    void aStaticCachedMethodStopsTheStart() {
        assertStartFailsWith(runner.withBean("bean", StaticMethod.class),
                "@AlruCacheable method " + StaticMethod.class.getName() + ".shared() is static", "would never be cached");
    }

    @Test
    void aFinalCachedMethodOnAClassBasedProxyStopsTheStart() {
        assertStartFailsWith(runner.withBean("bean", FinalMethod.class),
                "@AlruCacheable method " + FinalMethod.class.getName() + ".fixed() is final",
                "CGLIB", "remove final");
    }

    @Test
    void aCachedMethodOfAFinalClassStopsTheStart() {
        assertStartFailsWith(runner.withBean("bean", FinalClass.class),
                "@AlruCacheable method " + FinalClass.class.getName() + ".fetch() belongs to final class");
    }

    @Test
    void onAJdkProxyACachedMethodDeclaredByNoInterfaceStopsTheStart() {
        assertStartFailsWith(runner.withPropertyValues("spring.aop.proxy-target-class=false").withBean("bean", NotOnTheInterface.class),
                "@AlruCacheable method " + NotOnTheInterface.class.getName() + ".extra() is declared by no interface",
                "spring.aop.proxy-target-class=false");
    }

    @Test
    void onAJdkProxyAFinalMethodOfAnInterfaceIsInterceptedAndCached() {
        runner.withPropertyValues("spring.aop.proxy-target-class=false").withBean("bean", FinalButOnTheInterface.class)
                .run(context -> {
                    Api api = context.getBean(Api.class);
                    assertThat(api.declared()).isCompletedWithValue("run 1");
                    assertThat(api.declared()).isCompletedWithValue("run 1");
                });
    }

    /** Calls its own cached method on {@code this} in several ways: each pair must be reported once. */
    static class PepClient {
        @AlruCacheable
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("PEP " + number);
        }

        public CompletableFuture<List<String>> fetchAll(List<Integer> numbers) {
            List<CompletableFuture<String>> futures = numbers.stream().map(this::fetch).toList();
            numbers.forEach(number -> fetch(number)); // a lambda's body is named after fetchAll
            return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                    .thenApply(done -> futures.stream().map(CompletableFuture::join).toList());
        }

        public CompletableFuture<String> latest() {
            return this.fetch(9999);
        }

        public IntFunction<CompletableFuture<String>> fetcher(PepClient other) {
            return other::fetch; // a bound reference to another instance: reported too, as the Javadoc says
        }
    }

    /** Goes through the proxy: nothing to report. */
    static class Caller {
        private final PepClient client;

        Caller(PepClient client) {
            this.client = client;
        }

        public CompletableFuture<String> first() {
            return client.fetch(1);
        }
    }

    @Test
    void callsToACachedMethodOnThisAreLoggedOncePerPairNamingBothMethods(CapturedOutput output) {
        runner.withBean("pepClient", PepClient.class).withBean("other", PepClient.class)
                .withBean("caller", Caller.class, () -> new Caller(new PepClient())).run(context -> {
                    assertThat(context).hasNotFailed();
                    String fetchAll = "PepClient.fetchAll(List) calls fetch(int) on this, which bypasses the cache";
                    assertThat(occurrences(output.getAll(), fetchAll)).as(output.getAll()).isEqualTo(1);
                    assertThat(occurrences(output.getAll(), "PepClient.latest() calls fetch(int) on this")).isEqualTo(1);
                    assertThat(output.getAll()).contains("call it through the bean (inject it where it is used)"
                            + " or move the calling method to another bean");
                    assertThat(output.getAll()).doesNotContain("Caller.first()");
                    assertThat(output.getAll()).doesNotContain("PepClient.fetch(int) calls");
                });
    }

    private static int occurrences(String text, String fragment) {
        Matcher matcher = Pattern.compile(Pattern.quote(fragment)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
