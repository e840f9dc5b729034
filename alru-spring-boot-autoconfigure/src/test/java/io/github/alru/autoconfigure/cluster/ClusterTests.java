package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.alru.AlruMethodCache;
import io.github.alru.autoconfigure.cluster.ClusterInstances.Pep;
import io.github.alru.autoconfigure.cluster.ClusterInstances.Upstream;
import io.github.alru.cluster.ClusterStats;
import io.github.alru.redis.RedisClusterTier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/** Contract items 24-32 with three instances of one application on one real Redis. */
class ClusterTests {

    static TestRedis redis;
    ClusterInstances instances;
    final ExecutorService callers = Executors.newFixedThreadPool(64);

    @BeforeAll
    static void startRedis() throws Exception {
        redis = TestRedis.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @BeforeEach
    void startInstances() {
        Upstream.reset();
        instances = new ClusterInstances(redis, 3).linked();
        flushRedis();
    }

    @AfterEach
    void stopInstances() {
        instances.close();
        callers.shutdownNow();
    }

    private void flushRedis() {
        try (var connection = instances.context(0).getBean(RedisConnectionFactory.class).getConnection()) {
            connection.serverCommands().flushAll();
        }
    }

    /** Calls fetch(number) from {@code perInstance} threads on every instance at once; returns every caller's future. */
    private List<CompletableFuture<String>> stampede(int number, int perInstance) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<CompletableFuture<String>>> submitted = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            ClusterInstances.PepService service = instances.service(i);
            for (int t = 0; t < perInstance; t++) {
                submitted.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return service.fetch(number);
                }, callers));
            }
        }
        start.countDown();
        return submitted.stream().map(CompletableFuture::join).toList();
    }

    @Test
    void concurrentColdCallsOnThreeInstancesRunTheMethodOnceAndAllGetItsValue() throws Exception {
        List<CompletableFuture<String>> results = stampede(7, 50);

        Set<String> values = results.stream().map(future -> future.orTimeout(10, TimeUnit.SECONDS).join()).collect(Collectors.toSet());
        assertThat(values).containsExactly("PEP 7 (run 1)");
        assertThat(Upstream.executions).hasValue(1);
        long misses = 0;
        long hits = 0;
        for (int i = 0; i < 3; i++) {
            misses += instances.registry(i).get("peps").info().misses();
            hits += instances.registry(i).get("peps").info().hits();
        }
        assertThat(misses).as("one call ran the method").isEqualTo(1);
        assertThat(hits).isEqualTo(149);
    }

    @Test
    void aValueLoadedOnOneInstanceIsServedToTheOthersFromRedisAsAHit() {
        assertThat(instances.service(0).fetch(8).join()).isEqualTo("PEP 8 (run 1)");

        assertThat(instances.service(1).fetch(8).join()).isEqualTo("PEP 8 (run 1)");
        assertThat(instances.service(2).fetch(8).join()).isEqualTo("PEP 8 (run 1)");

        assertThat(Upstream.executions).hasValue(1);
        AlruMethodCache onSecond = instances.registry(1).get("peps");
        assertThat(onSecond.info().hits()).isEqualTo(1);
        assertThat(onSecond.info().misses()).isZero();
        assertThat(onSecond.clusterStats()).map(ClusterStats::hits).hasValue(1L);
        assertThat(onSecond.contains(8)).as("kept locally too").isTrue();
    }

    @Test
    void invalidateOnOneInstanceRemovesTheKeyEverywhereWithinOneSecond() {
        for (int i = 0; i < 3; i++) {
            instances.service(i).fetch(9).join();
        }
        assertThat(Upstream.executions).hasValue(1);

        assertThat(instances.registry(1).get("peps").invalidate(9)).isTrue();

        await().atMost(Duration.ofSeconds(1)).until(() ->
                !instances.registry(0).get("peps").contains(9) && !instances.registry(2).get("peps").contains(9));
        assertThat(instances.registry(1).get("peps").contains(9)).isFalse();
        assertThat(instances.service(2).fetch(9).join()).as("Redis's copy is gone too").isEqualTo("PEP 9 (run 2)");
        assertThat(instances.registry(0).get("peps").clusterStats()).map(ClusterStats::invalidations).hasValue(1L);
    }

    @Test
    void aLoadInFlightWhenItsKeyIsInvalidatedStoresItsValueNowhere() throws Exception {
        Upstream.latency = Duration.ofMillis(600);
        CompletableFuture<String> inFlight = instances.service(0).fetch(10);
        await().atMost(Duration.ofSeconds(2)).until(() -> Upstream.executions.get() == 1);

        instances.registry(2).get("peps").invalidate(10);

        assertThat(inFlight.get(5, TimeUnit.SECONDS)).as("its callers still get it").isEqualTo("PEP 10 (run 1)");
        Upstream.latency = Duration.ofMillis(10);
        assertThat(instances.registry(0).get("peps").contains(10)).isFalse();
        assertThat(instances.service(1).fetch(10).join()).isEqualTo("PEP 10 (run 2)");
        assertThat(instances.service(0).fetch(10).join()).isEqualTo("PEP 10 (run 2)");
    }

    @Test
    void clearOnOneInstanceClearsEveryInstanceAndRedis() {
        for (int i = 0; i < 3; i++) {
            instances.service(i).fetch(11).join();
        }

        instances.registry(0).get("peps").clear();

        await().atMost(Duration.ofSeconds(1)).until(() ->
                !instances.registry(1).get("peps").contains(11) && !instances.registry(2).get("peps").contains(11));
        assertThat(instances.service(1).fetch(11).join()).isEqualTo("PEP 11 (run 2)");
    }

    @Test
    void aFailedLoadStoresNothingAndTheWaitersRunTheMethodThemselvesOneAtATime() throws Exception {
        Upstream.failing = true;
        Upstream.latency = Duration.ofMillis(300);
        CompletableFuture<String> first = instances.service(0).fetch(12);
        await().atMost(Duration.ofSeconds(2)).until(() -> Upstream.executions.get() == 1);
        CompletableFuture<String> second = instances.service(1).fetch(12);
        CompletableFuture<String> third = instances.service(2).fetch(12);

        assertThat(first).failsWithin(Duration.ofSeconds(5));
        assertThat(second).failsWithin(Duration.ofSeconds(5));
        assertThat(third).failsWithin(Duration.ofSeconds(5));

        assertThat(Upstream.executions).as("each instance ran it once, after the previous one failed").hasValue(3);
        Upstream.failing = false;
        assertThat(instances.service(1).fetch(12).join()).isEqualTo("PEP 12 (run 4)");
    }

    @Test
    void whenTheLoadingInstanceDiesAnotherTakesTheLoadOverAfterTheLease() {
        instances.close();
        instances = new ClusterInstances(redis, 2, "alru.cluster.lease=1s").linked();
        Upstream.latency = Duration.ofSeconds(30);
        instances.service(0).fetch(13); // holds the lease, then its instance stops renewing it, as if it died
        await().atMost(Duration.ofSeconds(2)).until(() -> Upstream.executions.get() == 1);
        ((RedisClusterTier) instances.tier(0)).close();
        Upstream.latency = Duration.ofMillis(10);

        long started = System.nanoTime();
        String value = instances.service(1).fetch(13).orTimeout(10, TimeUnit.SECONDS).join();

        assertThat(value).isEqualTo("PEP 13 (run 2)");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void noCallWaitsLongerThanTheWaitSettingPlusItsOwnLoad() {
        instances.close();
        instances = new ClusterInstances(redis, 2, "alru.cluster.wait=500ms").linked();
        Upstream.latency = Duration.ofSeconds(5);
        instances.service(0).fetch(14);
        await().atMost(Duration.ofSeconds(2)).until(() -> Upstream.executions.get() == 1);
        Upstream.latency = Duration.ofMillis(100);

        long started = System.nanoTime();
        String value = instances.service(1).fetch(14).orTimeout(4, TimeUnit.SECONDS).join();

        assertThat(value).isEqualTo("PEP 14 (run 2)");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_000));
        assertThat(instances.registry(1).get("peps").clusterStats()).map(ClusterStats::waits).hasValue(1L);
    }

    @Test
    void valuesOfEveryShapeRoundTripThroughRedisExactly() {
        Upstream.latency = Duration.ZERO;
        ClusterInstances.PepService loader = instances.service(0);
        ClusterInstances.PepService reader = instances.service(1);
        List<Pep> list = loader.list("Guido").join();
        Map<String, Pep> map = loader.byTitle(3).join();
        Optional<Pep> found = loader.find(4).join();
        Optional<Pep> empty = loader.find(-1).join();
        String nothing = loader.nothing(5).join();

        assertThat(reader.list("Guido").join()).isEqualTo(list).first().isInstanceOf(Pep.class);
        assertThat(reader.byTitle(3).join()).isEqualTo(map);
        assertThat(reader.find(4).join()).isEqualTo(found);
        assertThat(reader.find(-1).join()).isEqualTo(empty).isEmpty();
        assertThat(reader.nothing(5).join()).isNull();
        assertThat(nothing).isNull();
        assertThat(Upstream.executions).as("every shape read back from Redis, none loaded twice").hasValue(5);
    }

    @Test
    void aValueJsonCannotWriteIsReturnedAndKeptOnItsInstanceOnly() {
        Upstream.latency = Duration.ZERO;
        ClusterInstances.Unwritable first = instances.service(0).opaque(1).join();

        assertThat(instances.service(0).opaque(1).join()).isSameAs(first);
        assertThat(instances.service(1).opaque(1).join()).isNotSameAs(first);
        assertThat(Upstream.executions).hasValue(2);
        assertThat(instances.registry(0).get("opaque").clusterStats()).map(ClusterStats::errors).hasValue(1L);
    }

    @Test
    void argumentsJsonCannotWriteMakeTheCallLocal() {
        Upstream.latency = Duration.ZERO;
        Thread thread = Thread.currentThread();
        instances.service(0).byThread(thread).join();
        instances.service(0).byThread(thread).join();
        instances.service(1).byThread(thread).join();

        assertThat(Upstream.executions).as("once per instance, cached locally").hasValue(2);
    }

    @Test
    void scopeIsShownByEveryCache() {
        assertThat(instances.registry(0).get("peps").scope()).isEqualTo(io.github.alru.Scope.CLUSTER);
    }
}
