package io.github.alru.autoconfigure;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.alru.AlruCacheRegistry;
import io.github.alru.AlruCacheable;
import io.github.alru.AlruMethodCache;
import io.github.alru.Eviction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;

/** Semantics items 16, 18, 19 and 20 on a running application: what a cached bean method does. */
@SpringBootTest(classes = CachedMethodsTests.Application.class, properties = {
        "alru.caches.[shrunk.fetch].max-size=1",
        "alru.caches.[shrunk.fetch].eviction=tiny-lfu",
        "alru.caches.uncached.enabled=false",
        "pep.ttl=45s"})
class CachedMethodsTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        Service service() {
            return new Service();
        }

        @Bean
        Counter first() {
            return new Counter();
        }

        @Bean
        Counter second() {
            return new Counter();
        }

        @Bean
        Counter shrunk() {
            return new Counter();
        }

        @Bean
        Greeter greeter() {
            return new EnglishGreeter();
        }
    }

    /** Every supported return type, and the ways a call can go wrong. */
    static class Service {
        final AtomicInteger runs = new AtomicInteger();

        @AlruCacheable
        public CompletableFuture<String> future(String key) {
            runs.incrementAndGet();
            return completedFuture("future " + key);
        }

        @AlruCacheable(name = "stage", ttl = "${pep.ttl}", jitter = "1s")
        public CompletionStage<String> stage(int number) {
            runs.incrementAndGet();
            return completedFuture("stage " + number);
        }

        @AlruCacheable
        public Mono<String> mono(String key) {
            runs.incrementAndGet();
            return Mono.just("mono " + key);
        }

        @AlruCacheable
        public Mono<String> empty(String key) {
            runs.incrementAndGet();
            return Mono.empty();
        }

        @AlruCacheable
        public Mono<String> failingMono(String key) {
            runs.incrementAndGet();
            return Mono.error(new IllegalStateException("mono failed " + key));
        }

        @AlruCacheable
        public CompletableFuture<String> throwsBeforeReturning(String key) throws IOException {
            runs.incrementAndGet();
            throw new IOException("thrown before a future exists: " + key);
        }

        @AlruCacheable
        public CompletableFuture<String> arguments(String text, int[] numbers, Object nothing) {
            runs.incrementAndGet();
            return completedFuture(text + numbers.length + nothing);
        }

        @AlruCacheable
        public CompletableFuture<String> noArguments() {
            runs.incrementAndGet();
            return completedFuture("none");
        }

        @AlruCacheable(name = "uncached")
        public CompletableFuture<String> uncached() {
            runs.incrementAndGet();
            return completedFuture("uncached");
        }
    }

    /** One class, several beans: each bean gets its own cache. */
    static class Counter {
        final AtomicInteger runs = new AtomicInteger();

        @AlruCacheable
        public CompletableFuture<Integer> fetch(int number) {
            runs.incrementAndGet();
            return completedFuture(number * 10);
        }
    }

    /** The annotation sits on the interface method only. */
    interface Greeter {
        @AlruCacheable(name = "greetings", maxSize = 2)
        CompletableFuture<String> greet(String name);
    }

    static class EnglishGreeter implements Greeter {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public CompletableFuture<String> greet(String name) {
            runs.incrementAndGet();
            return completedFuture("Hello, " + name);
        }
    }

    @Autowired
    Service service;

    @Autowired
    @Qualifier("first")
    Counter first;

    @Autowired
    @Qualifier("second")
    Counter second;

    @Autowired
    @Qualifier("shrunk")
    Counter shrunk;

    @Autowired
    Greeter greeter;

    @Autowired
    AlruCacheRegistry registry;

    @BeforeEach
    void clearCaches() {
        registry.names().forEach(name -> registry.get(name).clear());
        runs().set(0);
    }

    @Test
    void completableFutureMethodRunsOnceAndThenServesHits() {
        assertThat(service.future("a")).isCompletedWithValue("future a");
        assertThat(service.future("a")).isCompletedWithValue("future a");

        assertThat(runs()).hasValue(1);
        assertThat(registry.get("service.future").info().hits()).isEqualTo(1);
    }

    @Test
    void completionStageMethodIsCachedWithTtlFromAPlaceholder() {
        assertThat(service.stage(8).toCompletableFuture()).isCompletedWithValue("stage 8");
        assertThat(service.stage(8).toCompletableFuture()).isCompletedWithValue("stage 8");

        assertThat(runs()).hasValue(1);
        assertThat(registry.get("stage").settings().ttl()).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void monoMethodDoesNotRunBeforeSubscriptionAndRunsOnceForManySubscriptions() {
        Mono<String> mono = service.mono("m");
        assertThat(runs()).as("nothing runs before subscribe").hasValue(0);

        assertThat(mono.block()).isEqualTo("mono m");
        assertThat(mono.block()).isEqualTo("mono m");
        assertThat(service.mono("m").block()).isEqualTo("mono m");

        assertThat(runs()).hasValue(1);
        assertThat(registry.get("service.mono").contains("m")).isTrue();
    }

    @Test
    void emptyMonoIsCachedAsAnEmptyResult() {
        assertThat(service.empty("e").blockOptional()).isEmpty();
        assertThat(service.empty("e").blockOptional()).isEmpty();

        assertThat(runs()).hasValue(1);
        assertThat(registry.get("service.empty").contains("e")).isTrue();
    }

    @Test
    void failedMonoIsNotCached() {
        assertThatThrownBy(() -> service.failingMono("f").block()).hasMessage("mono failed f");
        assertThatThrownBy(() -> service.failingMono("f").block()).hasMessage("mono failed f");

        assertThat(runs()).hasValue(2);
        assertThat(registry.get("service.failingMono").contains("f")).isFalse();
    }

    @Test
    void exceptionThrownBeforeTheFutureExistsReachesTheCallerAndNothingIsCached() {
        assertThatThrownBy(() -> service.throwsBeforeReturning("x"))
                .isInstanceOf(IOException.class).hasMessage("thrown before a future exists: x");
        assertThatThrownBy(() -> service.throwsBeforeReturning("x")).isInstanceOf(IOException.class);

        assertThat(runs()).hasValue(2);
        assertThat(registry.get("service.throwsBeforeReturning").contains("x")).isFalse();
    }

    @Test
    void keyIsAllArgumentsInOrderWithArraysByContentAndNullsAllowed() {
        service.arguments("a", new int[] {1, 2}, null);
        service.arguments("a", new int[] {1, 2}, null);
        service.arguments("a", new int[] {2, 1}, null);
        service.noArguments();
        service.noArguments();

        assertThat(runs()).hasValue(3);
        AlruMethodCache cache = registry.get("service.arguments");
        assertThat(cache.contains("a", new int[] {1, 2}, null)).isTrue();
        assertThat(cache.invalidate("a", new int[] {1, 2}, null)).isTrue();
        assertThat(cache.contains("a", new int[] {1, 2}, null)).isFalse();
        assertThat(registry.get("service.noArguments").contains()).isTrue();
        assertThatThrownBy(() -> cache.contains("a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 3 argument(s), but 1 were given");
    }

    @Test
    void annotationOnTheInterfaceMethodCachesTheImplementation() {
        greeter.greet("Ada");
        greeter.greet("Ada");

        assertThat(((EnglishGreeter) unwrap(greeter)).runs).hasValue(1);
        AlruMethodCache cache = registry.get("greetings");
        assertThat(cache.method().getDeclaringClass()).isEqualTo(EnglishGreeter.class);
        assertThat(cache.parameters().maxSize()).isEqualTo(2);
    }

    @Test
    void twoBeansOfOneClassKeepSeparateCachesNamedAfterTheirBeans() {
        first.fetch(1);
        second.fetch(1);
        first.fetch(1);

        assertThat(registry.names()).contains("first.fetch", "second.fetch");
        assertThat(registry.get("first.fetch").info().hits()).isEqualTo(1);
        assertThat(registry.get("second.fetch").info().misses()).isEqualTo(1);
        assertThat(registry.get("second.fetch").info().hits()).isZero();
    }

    @Test
    void propertiesOverrideTheAnnotationShrinkingACache() {
        for (int i = 0; i < 5; i++) {
            shrunk.fetch(i);
        }

        AlruMethodCache cache = registry.get("shrunk.fetch");
        assertThat(cache.parameters().maxSize()).isEqualTo(1);
        assertThat(cache.info().currentSize()).isEqualTo(1);
        assertThat(cache.settings().eviction()).isEqualTo(Eviction.TINY_LFU);
        assertThat(registry.get("first.fetch").parameters().maxSize()).isEqualTo(128);
    }

    @Test
    void cacheDisabledByPropertyRunsTheMethodEveryTimeAndStaysRegisteredAsACacheThatKeepsNothing() {
        service.uncached();
        service.uncached();

        assertThat(runs()).hasValue(2);
        AlruMethodCache uncached = registry.get("uncached");
        assertThat(uncached.enabled()).isFalse();
        assertThat(uncached.contains()).isFalse();
        assertThat(uncached.info().currentSize()).isZero();
        assertThat(uncached.info().maxSize()).isZero();
    }

    @Test
    void registryListsEveryCacheAndNamesTheUnknownOne() {
        assertThat(registry.names()).containsAll(List.of("service.future", "stage", "service.mono", "greetings", "shrunk.fetch"));
        assertThat(registry.find("nope")).isEmpty();
        assertThatThrownBy(() -> registry.get("nope")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nope'");
    }

    /** The service's own counter: a class-based proxy has fields of its own, not the bean's. */
    private AtomicInteger runs() {
        return ((Service) unwrap(service)).runs;
    }

    private static Object unwrap(Object proxy) {
        return org.springframework.test.util.AopTestUtils.getUltimateTargetObject(proxy);
    }
}
