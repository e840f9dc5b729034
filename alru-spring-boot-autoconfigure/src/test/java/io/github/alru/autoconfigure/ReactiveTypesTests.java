package io.github.alru.autoconfigure;

import static io.github.alru.autoconfigure.StartupFailures.assertStartFailsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.alru.AlruCacheable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Single;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * Semantics item 16: every asynchronous type Spring's {@code ReactiveAdapterRegistry} adapts.
 * Single-value types cache their value; multi-value types are collected once and replayed in
 * order; the method runs on subscription only; errors are not cached; cancelling one subscriber
 * leaves the others their result.
 */
class ReactiveTypesTests {

    static class Catalog {
        final AtomicInteger runs = new AtomicInteger();

        @AlruCacheable(name = "flux")
        public Flux<Integer> flux(int count) {
            runs.incrementAndGet();
            return Flux.range(1, count).delayElements(Duration.ofMillis(5));
        }

        @AlruCacheable(name = "failingFlux")
        public Flux<Integer> failingFlux(int count) {
            runs.incrementAndGet();
            return Flux.concat(Flux.range(1, count), Flux.error(new IllegalStateException("upstream broke")));
        }

        @AlruCacheable(name = "single")
        public Single<String> single(String name) {
            runs.incrementAndGet();
            return Single.just("hello " + name).delay(20, TimeUnit.MILLISECONDS);
        }

        @AlruCacheable(name = "maybe")
        public Maybe<String> maybe(boolean empty) {
            runs.incrementAndGet();
            return empty ? Maybe.empty() : Maybe.just("found");
        }

        @AlruCacheable(name = "observable")
        public Observable<Integer> observable(int count) {
            runs.incrementAndGet();
            return Observable.range(1, count);
        }

        @AlruCacheable(name = "flowable")
        public Flowable<Integer> flowable(int count) {
            runs.incrementAndGet();
            return Flowable.range(1, count);
        }

        @AlruCacheable(name = "uni")
        public Uni<String> uni(String name) {
            runs.incrementAndGet();
            return Uni.createFrom().item("uni " + name);
        }

        @AlruCacheable(name = "multi")
        public Multi<Integer> multi(int count) {
            runs.incrementAndGet();
            return Multi.createFrom().range(1, count + 1);
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AlruAutoConfiguration.class)).withBean("catalog", Catalog.class);

    private static int runs(Catalog proxy) {
        return org.springframework.test.util.AopTestUtils.<Catalog>getUltimateTargetObject(proxy).runs.get();
    }

    @Test
    void aFluxIsCollectedOnceAndReplayedInOrderToEveryLaterSubscriber() {
        runner.run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            Flux<Integer> first = catalog.flux(4);
            assertThat(runs(catalog)).as("lazy: nothing runs before subscription").isZero();

            assertThat(first.collectList().block()).containsExactly(1, 2, 3, 4);
            assertThat(catalog.flux(4).collectList().block()).containsExactly(1, 2, 3, 4);
            assertThat(first.collectList().block()).as("resubscribing replays too").containsExactly(1, 2, 3, 4);
            assertThat(runs(catalog)).isEqualTo(1);
        });
    }

    @Test
    void concurrentSubscriptionsToOneFluxShareOneExecution() throws Exception {
        runner.run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            ExecutorService threads = Executors.newFixedThreadPool(16);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<List<Integer>>> results = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    results.add(threads.submit(() -> {
                        start.await();
                        return catalog.flux(5).collectList().block(Duration.ofSeconds(5));
                    }));
                }
                start.countDown();
                for (Future<List<Integer>> result : results) {
                    assertThat(result.get(5, TimeUnit.SECONDS)).containsExactly(1, 2, 3, 4, 5);
                }
            } finally {
                threads.shutdownNow();
            }
            assertThat(runs(catalog)).isEqualTo(1);
        });
    }

    @Test
    void aFluxThatFailsIsNotCachedAndNoPartialResultIsReplayed() {
        runner.run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            assertThatThrownBy(() -> catalog.failingFlux(2).collectList().block()).hasMessageContaining("upstream broke");
            assertThatThrownBy(() -> catalog.failingFlux(2).collectList().block()).hasMessageContaining("upstream broke");
            assertThat(runs(catalog)).as("each subscription after a failure runs again").isEqualTo(2);
        });
    }

    @Test
    void cancellingOneSubscriberLeavesTheOthersTheirResult() {
        runner.run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            java.util.concurrent.CompletableFuture<List<Integer>> other = catalog.flux(10).collectList().toFuture();
            Disposable cancelled = catalog.flux(10).subscribe();

            cancelled.dispose();

            assertThat(other).succeedsWithin(Duration.ofSeconds(5))
                    .satisfies(elements -> assertThat(elements).hasSize(10));
            assertThat(runs(catalog)).isEqualTo(1);
        });
    }

    @Test
    void rxJavaTypesAreCachedAsTheirOwnTypes() {
        runner.run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            Single<String> single = catalog.single("Ada");
            assertThat(runs(catalog)).as("lazy").isZero();
            assertThat(single.blockingGet()).isEqualTo("hello Ada");
            assertThat(catalog.single("Ada").blockingGet()).isEqualTo("hello Ada");

            assertThat(catalog.maybe(true).blockingGet()).as("an empty result").isNull();
            assertThat(catalog.maybe(true).isEmpty().blockingGet()).as("cached as empty").isTrue();
            assertThat(catalog.observable(3).toList().blockingGet()).containsExactly(1, 2, 3);
            assertThat(catalog.observable(3).toList().blockingGet()).containsExactly(1, 2, 3);
            assertThat(catalog.flowable(2).toList().blockingGet()).containsExactly(1, 2);
            assertThat(catalog.flowable(2).toList().blockingGet()).containsExactly(1, 2);

            assertThat(runs(catalog)).as("one run each of single, maybe, observable, flowable").isEqualTo(4);
        });
    }

    @Test
    void mutinyTypesAreCachedAsTheirOwnTypes() {
        runner.run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            assertThat(catalog.uni("Bo").await().atMost(Duration.ofSeconds(5))).isEqualTo("uni Bo");
            assertThat(catalog.uni("Bo").await().atMost(Duration.ofSeconds(5))).isEqualTo("uni Bo");
            assertThat(catalog.multi(3).collect().asList().await().atMost(Duration.ofSeconds(5))).containsExactly(1, 2, 3);
            assertThat(catalog.multi(3).collect().asList().await().atMost(Duration.ofSeconds(5))).containsExactly(1, 2, 3);
            assertThat(runs(catalog)).isEqualTo(2);
        });
    }

    static class PlainFuture {
        @AlruCacheable
        public java.util.concurrent.Future<String> future() {
            return java.util.concurrent.CompletableFuture.completedFuture("x");
        }
    }

    @Test
    void anUnsupportedTypeStopsTheStartListingTheTypesSupportedWithTheLibrariesPresent() {
        assertStartFailsWith(runner.withBean("plain", PlainFuture.class), "returns java.util.concurrent.Future",
                "CompletableFuture<T>, CompletionStage<T>", "Flux<T>", "Mono<T>", "Single<T>", "Flowable<T>", "Uni<T>", "Multi<T>",
                "(the reactive ones present here)");
    }
}
