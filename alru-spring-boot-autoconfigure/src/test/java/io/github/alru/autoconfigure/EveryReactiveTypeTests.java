package io.github.alru.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import io.github.alru.AlruCacheable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Single;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.test.util.AopTestUtils;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Semantics item 16, type by type: for every reactive type Spring adapts (Reactor, RxJava 3,
 * Mutiny), concurrent subscriptions share one execution, nothing runs before subscription, an
 * error is not cached, and cancelling one subscriber leaves another its result.
 */
class EveryReactiveTypeTests {

    /** One method per type, all alike: 30 ms, then "a", "b", "c" (one value, "abc", for single-value types). */
    static class Sources {
        final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        volatile boolean failing;

        private Flux<String> letters(String type) {
            runs.computeIfAbsent(type, t -> new AtomicInteger()).incrementAndGet();
            boolean fail = failing;
            return Flux.just("a", "b", "c").delaySubscription(Duration.ofMillis(30))
                    .concatWith(fail ? Flux.error(new IllegalStateException(type + " failed")) : Flux.empty());
        }

        private Mono<String> word(String type) {
            return letters(type).reduce(String::concat);
        }

        @AlruCacheable(name = "Mono")
        public Mono<String> mono(int key) {
            return word("Mono");
        }

        @AlruCacheable(name = "Flux")
        public Flux<String> flux(int key) {
            return letters("Flux");
        }

        @AlruCacheable(name = "Single")
        public Single<String> single(int key) {
            return Single.fromPublisher(word("Single"));
        }

        @AlruCacheable(name = "Maybe")
        public Maybe<String> maybe(int key) {
            return Maybe.fromPublisher(word("Maybe"));
        }

        @AlruCacheable(name = "Observable")
        public Observable<String> observable(int key) {
            return Observable.fromPublisher(letters("Observable"));
        }

        @AlruCacheable(name = "Flowable")
        public Flowable<String> flowable(int key) {
            return Flowable.fromPublisher(letters("Flowable"));
        }

        @AlruCacheable(name = "Uni")
        public Uni<String> uni(int key) {
            return Uni.createFrom().publisher(JdkFlowAdapter.publisherToFlowPublisher(word("Uni")));
        }

        @AlruCacheable(name = "Multi")
        public Multi<String> multi(int key) {
            return Multi.createFrom().publisher(JdkFlowAdapter.publisherToFlowPublisher(letters("Multi")));
        }
    }

    private static final Map<String, BiFunction<Sources, Integer, Object>> CALLS = Map.of(
            "Mono", Sources::mono, "Flux", Sources::flux, "Single", Sources::single, "Maybe", Sources::maybe,
            "Observable", Sources::observable, "Flowable", Sources::flowable, "Uni", Sources::uni, "Multi", Sources::multi);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AlruAutoConfiguration.class)).withBean("sources", Sources.class);

    /** Calls the method of {@code type} and reads what it returns as a Reactor Flux, through Spring's adapter. */
    private static Flux<String> call(Sources sources, String type, int key) {
        Object returned = CALLS.get(type).apply(sources, key);
        ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(returned.getClass());
        assertThat(adapter).as("an adapter for %s", returned.getClass()).isNotNull();
        return Flux.from(adapter.toPublisher(returned));
    }

    private static List<String> expected(String type) {
        boolean multi = List.of("Flux", "Observable", "Flowable", "Multi").contains(type);
        return multi ? List.of("a", "b", "c") : List.of("abc");
    }

    private static int runs(Sources proxy, String type) {
        AtomicInteger count = AopTestUtils.<Sources>getUltimateTargetObject(proxy).runs.get(type);
        return count == null ? 0 : count.get();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mono", "Flux", "Single", "Maybe", "Observable", "Flowable", "Uni", "Multi"})
    void concurrentSubscriptionsShareOneExecutionAndEveryLaterOneIsReplayed(String type) {
        runner.run(context -> {
            Sources sources = context.getBean(Sources.class);
            ExecutorService threads = Executors.newFixedThreadPool(16);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<List<String>>> results = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    results.add(threads.submit(() -> {
                        start.await();
                        return call(sources, type, 1).collectList().block(Duration.ofSeconds(5));
                    }));
                }
                start.countDown();
                for (Future<List<String>> result : results) {
                    assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(expected(type));
                }
            } finally {
                threads.shutdownNow();
            }
            assertThat(call(sources, type, 1).collectList().block()).isEqualTo(expected(type));
            assertThat(runs(sources, type)).isEqualTo(1);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mono", "Flux", "Single", "Maybe", "Observable", "Flowable", "Uni", "Multi"})
    void nothingRunsBeforeSubscription(String type) {
        runner.run(context -> {
            Sources sources = context.getBean(Sources.class);
            CALLS.get(type).apply(sources, 2);
            assertThat(runs(sources, type)).isZero();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mono", "Flux", "Single", "Maybe", "Observable", "Flowable", "Uni", "Multi"})
    void anErrorIsNotCached(String type) {
        runner.run(context -> {
            Sources sources = context.getBean(Sources.class);
            AopTestUtils.<Sources>getUltimateTargetObject(sources).failing = true;
            assertThat(call(sources, type, 3).collectList().onErrorReturn(List.of("failed")).block()).containsExactly("failed");
            AopTestUtils.<Sources>getUltimateTargetObject(sources).failing = false;

            assertThat(call(sources, type, 3).collectList().block()).isEqualTo(expected(type));
            assertThat(runs(sources, type)).isEqualTo(2);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mono", "Flux", "Single", "Maybe", "Observable", "Flowable", "Uni", "Multi"})
    void cancellingOneSubscriberLeavesAnotherItsResult(String type) {
        runner.run(context -> {
            Sources sources = context.getBean(Sources.class);
            java.util.concurrent.CompletableFuture<List<String>> kept = call(sources, type, 4).collectList().toFuture();
            Disposable cancelled = call(sources, type, 4).subscribe();

            cancelled.dispose();

            assertThat(kept).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(expected(type));
            assertThat(runs(sources, type)).isEqualTo(1);
        });
    }
}
