package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
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

import io.github.alru.testsupport.TestRedis;
import io.github.alru.AlruMethodCache;
import io.github.alru.autoconfigure.cluster.ClusterInstances.Pep;
import io.github.alru.autoconfigure.cluster.ClusterInstances.Upstream;
import io.github.alru.cluster.ClusterStats;
import io.github.alru.redis.RedisClusterTier;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Semantics items 24-32 with three instances of one application on one real Redis. The instances
 * live as long as the class; each test uses keys of its own and counts from where it starts.
 */
class ClusterTests {

    static TestRedis redis;
    static ClusterInstances instances;
    final ExecutorService callers = Executors.newFixedThreadPool(64);

    @BeforeAll
    static void startRedisAndInstances() throws Exception {
        redis = TestRedis.start();
        instances = new ClusterInstances(redis, 3);
    }

    @AfterAll
    static void stopInstancesAndRedis() throws Exception {
        instances.close();
        redis.close();
    }

    @BeforeEach
    void resetUpstream() {
        Upstream.reset();
    }

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    private long sum(String cache, java.util.function.ToLongFunction<AlruMethodCache> count) {
        long total = 0;
        for (int i = 0; i < instances.size(); i++) {
            total += count.applyAsLong(instances.registry(i).get(cache));
        }
        return total;
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
        long missesBefore = sum("peps", cache -> cache.stats().misses());
        long hitsBefore = sum("peps", cache -> cache.stats().hits());

        List<CompletableFuture<String>> results = stampede(7, 50);

        Set<String> values = results.stream().map(future -> future.orTimeout(10, TimeUnit.SECONDS).join()).collect(Collectors.toSet());
        assertThat(values).containsExactly("PEP 7 (run 1)");
        assertThat(Upstream.executions).hasValue(1);
        assertThat(sum("peps", cache -> cache.stats().misses()) - missesBefore).as("one call ran the method").isEqualTo(1);
        assertThat(sum("peps", cache -> cache.stats().hits()) - hitsBefore).isEqualTo(149);
    }

    @Test
    void aValueLoadedOnOneInstanceIsServedToTheOthersFromRedisAsAHit() {
        AlruMethodCache onSecond = instances.registry(1).get("peps");
        long hitsBefore = onSecond.stats().hits();
        long missesBefore = onSecond.stats().misses();
        long redisHitsBefore = onSecond.clusterStats().orElseThrow().hits();
        assertThat(instances.service(0).fetch(8).join()).isEqualTo("PEP 8 (run 1)");

        assertThat(instances.service(1).fetch(8).join()).isEqualTo("PEP 8 (run 1)");
        assertThat(instances.service(2).fetch(8).join()).isEqualTo("PEP 8 (run 1)");

        assertThat(Upstream.executions).hasValue(1);
        assertThat(onSecond.stats().hits() - hitsBefore).isEqualTo(1);
        assertThat(onSecond.stats().misses() - missesBefore).isZero();
        assertThat(onSecond.clusterStats().orElseThrow().hits() - redisHitsBefore).isEqualTo(1);
        assertThat(onSecond.contains(8)).as("kept locally too").isTrue();
    }

    @Test
    void invalidateOnOneInstanceRemovesTheKeyEverywhereWithinOneSecond() {
        for (int i = 0; i < 3; i++) {
            instances.service(i).fetch(9).join();
        }
        assertThat(Upstream.executions).hasValue(1);

        long invalidationsBefore = instances.registry(0).get("peps").clusterStats().orElseThrow().invalidations();
        assertThat(instances.registry(1).get("peps").invalidate(9)).isTrue();

        await().atMost(Duration.ofSeconds(1)).until(() ->
                !instances.registry(0).get("peps").contains(9) && !instances.registry(2).get("peps").contains(9));
        assertThat(instances.registry(1).get("peps").contains(9)).isFalse();
        assertThat(instances.service(2).fetch(9).join()).as("Redis's copy is gone too").isEqualTo("PEP 9 (run 2)");
        assertThat(instances.registry(0).get("peps").clusterStats().orElseThrow().invalidations() - invalidationsBefore).isEqualTo(1);
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
    void aClearOnOneInstanceResetsTheHitsAndMissesThatInfoShowsOnEveryInstanceAsALocalClearDoes() {
        for (int i = 0; i < 3; i++) {
            instances.service(i).fetch(15).join();
            instances.service(i).fetch(15).join();
            assertThat(instances.registry(i).get("peps").info().hits()).as("instance %d", i).isPositive();
        }

        instances.registry(0).get("peps").clear();

        await().atMost(Duration.ofSeconds(1)).until(() -> instances.registry(1).get("peps").info().hits() == 0
                && instances.registry(2).get("peps").info().hits() == 0);
        for (int i = 0; i < 3; i++) {
            assertThat(instances.registry(i).get("peps").info().misses()).as("instance %d", i).isZero();
        }
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
        try (ClusterInstances own = new ClusterInstances(redis, 2, "alru.cluster.lease=1s", "alru.cluster.key-prefix=dies",
                "alru.shutdown.wait=false")) {
            Upstream.latency = Duration.ofSeconds(30);
            own.service(0).fetch(13); // holds the lease, then its instance stops renewing it, as if it died
            await().atMost(Duration.ofSeconds(2)).until(() -> Upstream.executions.get() == 1);
            ((RedisClusterTier) own.tier(0)).close();
            Upstream.latency = Duration.ofMillis(10);

            long started = System.nanoTime();
            String value = own.service(1).fetch(13).orTimeout(10, TimeUnit.SECONDS).join();

            assertThat(value).isEqualTo("PEP 13 (run 2)");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void noCallWaitsLongerThanTheWaitSettingPlusItsOwnLoad() {
        try (ClusterInstances own = new ClusterInstances(redis, 2, "alru.cluster.wait=500ms", "alru.cluster.key-prefix=waits",
                "alru.shutdown.wait=false")) {
            Upstream.latency = Duration.ofSeconds(5);
            own.service(0).fetch(14);
            await().atMost(Duration.ofSeconds(2)).until(() -> Upstream.executions.get() == 1);
            Upstream.latency = Duration.ofMillis(100);

            long started = System.nanoTime();
            String value = own.service(1).fetch(14).orTimeout(4, TimeUnit.SECONDS).join();

            assertThat(value).isEqualTo("PEP 14 (run 2)");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_000));
            assertThat(own.registry(1).get("peps").clusterStats()).map(ClusterStats::waits).hasValue(1L);
        }
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
        assertThat(instances.registry(0).get("opaque").clusterStats().orElseThrow().errors()).isEqualTo(1);
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
    void anInvalidateOfArgumentsJsonCannotWriteReachesEveryInstanceAllTheSame() {
        Upstream.latency = Duration.ZERO;
        Thread thread = Thread.currentThread();
        instances.service(0).byThread(thread).join();
        instances.service(1).byThread(thread).join();
        assertThat(instances.registry(1).get("byThread").contains(thread)).isTrue();

        instances.registry(0).get("byThread").invalidate(thread);

        assertThat(instances.registry(0).get("byThread").contains(thread)).isFalse();
        // the others cannot be told which entry: they drop every copy of the cache
        await().atMost(Duration.ofSeconds(1)).until(() -> !instances.registry(1).get("byThread").contains(thread));
    }

    @Test
    void callsWaitingForAnotherInstancesLoadPollWithoutWritingToRedis() throws Exception {
        Upstream.latency = Duration.ofMillis(1_500);
        long fenceBefore = fence("peps");
        CompletableFuture<String> loading = instances.service(0).fetch(777);
        Thread.sleep(100); // the lease is taken
        CompletableFuture<String> waiting = instances.service(1).fetch(777); // polls every 50-150 ms meanwhile

        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(loading.get(5, TimeUnit.SECONDS));
        assertThat(Upstream.executions).hasValue(1);
        assertThat(fence("peps") - fenceBefore).as("one lease taken, no write per poll").isEqualTo(1);
    }

    /** The lease fence of fetch(777)'s bucket: how many leases were ever granted there. */
    private static long fence(String cache) throws java.io.IOException {
        String reply = redis.call("EVAL", "return tonumber(redis.call('GET', KEYS[1]) or '0')", "1", ClusterInstances.bucketBase(cache, "[777]") + "fence");
        return Long.parseLong(reply.substring(1));
    }

    @Test
    void scopeIsShownByEveryCache() {
        assertThat(instances.registry(0).get("peps").scope()).isEqualTo(io.github.alru.Scope.CLUSTER);
    }

    private Set<String> redisKeys(String pattern) {
        try (var connection = instances.context(0).getBean(RedisConnectionFactory.class).getConnection()) {
            return connection.keyCommands().keys(pattern.getBytes(StandardCharsets.UTF_8)).stream()
                    .map(key -> new String(key, StandardCharsets.UTF_8)).collect(Collectors.toSet());
        }
    }

    @Test
    void equalArgumentsFromEveryInstanceMakeOneRedisKeyDerivedFromTheNameAndTheArgumentsJson() {
        Upstream.latency = Duration.ZERO;
        Set<String> before = redisKeys("test:{pepList/*}:*:v:*");
        instances.service(0).list("Tim").join();
        instances.service(1).list("Tim").join();
        instances.service(2).list("Barry").join();

        Set<String> keys = redisKeys("test:{pepList/*}:*:v:*");
        keys.removeAll(before);
        assertThat(keys).hasSize(2).allMatch(key -> key.matches("test:\\{pepList/[0-9]+}:[0-9]+:v:[0-9a-f]{64}"));
        assertThat(Upstream.executions).hasValue(2);
    }

    @Test
    void aStoredValueThatCannotBeReadIsAMissReplacedByTheNextLoad() throws Exception {
        Upstream.latency = Duration.ZERO;
        instances.service(0).fetch(50).join();
        String key = redisKeys("test:{peps/*}:*:v:" + hashOf50()).iterator().next();
        try (var connection = instances.context(0).getBean(RedisConnectionFactory.class).getConnection()) {
            connection.stringCommands().set(key.getBytes(StandardCharsets.UTF_8), "{not json".getBytes(StandardCharsets.UTF_8));
        }

        long errorsBefore = instances.registry(1).get("peps").clusterStats().orElseThrow().errors();
        assertThat(instances.service(1).fetch(50).join()).isEqualTo("PEP 50 (run 2)");
        assertThat(instances.service(2).fetch(50).join()).as("the replacement is shared").isEqualTo("PEP 50 (run 2)");
        assertThat(instances.registry(1).get("peps").clusterStats().orElseThrow().errors() - errorsBefore).isEqualTo(1);
    }

    /** The key hash of fetch(50): the SHA-256 of its arguments as JSON. */
    private static String hashOf50() throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("[50]".getBytes(StandardCharsets.UTF_8)));
    }

    private double count(MeterRegistry meters, String name, String... tags) {
        return meters.get(name).tag("cache", "peps").tag("cache.manager", "alru").tags(tags).functionCounter().count();
    }

    @Test
    void clusterMetersCountRedisHitsAndMissesWaitsAndInvalidations() {
        Upstream.latency = Duration.ZERO;
        MeterRegistry meters = instances.context(1).getBean(MeterRegistry.class);
        double hits = count(meters, "alru.cluster.gets", "result", "hit");
        double misses = count(meters, "alru.cluster.gets", "result", "miss");
        double invalidations = count(meters, "alru.cluster.invalidations");
        double waits = count(meters, "alru.cluster.waits");
        instances.service(0).fetch(60).join();
        instances.service(1).fetch(60).join();
        instances.registry(0).get("peps").invalidate(60);
        await().atMost(Duration.ofSeconds(1)).until(() -> !instances.registry(1).get("peps").contains(60));

        assertThat(count(meters, "alru.cluster.gets", "result", "hit") - hits).isEqualTo(1);
        assertThat(count(meters, "alru.cluster.gets", "result", "miss") - misses).isZero();
        assertThat(count(meters, "alru.cluster.invalidations") - invalidations).isEqualTo(1);
        assertThat(count(meters, "alru.cluster.waits") - waits).isZero();
        assertThat(meters.find("alru.cluster.errors").tag("cache", "peps").meters()).hasSize(1);
        assertThat(meters.find("alru.cluster.gets").tag("cache", "peps").meters()).hasSize(2);
    }

    @Test
    void aMonoMethodSharesItsValueAcrossInstancesAndStaysLazy() {
        Upstream.latency = Duration.ZERO;
        var mono = instances.service(0).mono(70);
        assertThat(Upstream.executions).as("nothing runs before subscription").hasValue(0);

        assertThat(mono.block(Duration.ofSeconds(5))).isEqualTo("mono PEP 70 (run 1)");
        assertThat(instances.service(1).mono(70).block(Duration.ofSeconds(5))).isEqualTo("mono PEP 70 (run 1)");
        assertThat(Upstream.executions).hasValue(1);
    }

    @Test
    void aGapInAnotherInstancesEventNumbersDropsTheLocalCopiesOfClusterCaches() {
        Upstream.latency = Duration.ZERO;
        instances.service(1).fetch(80).join();
        assertThat(instances.registry(1).get("peps").contains(80)).isTrue();

        publishEvent("{\"o\":\"gone-instance\",\"s\":1,\"t\":\"H\",\"c\":\"\",\"p\":\"\"}");
        assertThat(instances.registry(1).get("peps").contains(80)).as("no gap yet").isTrue();
        publishEvent("{\"o\":\"gone-instance\",\"s\":3,\"t\":\"H\",\"c\":\"\",\"p\":\"\"}"); // number 2 was lost

        await().atMost(Duration.ofSeconds(1)).until(() -> !instances.registry(1).get("peps").contains(80)
                && !instances.registry(0).get("peps").contains(80));
        assertThat(instances.service(2).fetch(80).join()).as("Redis still has it: no reload").isEqualTo("PEP 80 (run 1)");
    }

    private void publishEvent(String json) {
        try (var connection = instances.context(0).getBean(RedisConnectionFactory.class).getConnection()) {
            connection.publish("test:events".getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void anEntryDueForRefreshIsReloadedOnceAcrossInstancesWhileHitsServeTheOldValue() {
        Upstream.latency = Duration.ofMillis(100);
        assertThat(instances.service(0).refreshed(90).join()).isEqualTo("refreshed PEP 90 (run 1)");
        assertThat(instances.service(1).refreshed(90).join()).isEqualTo("refreshed PEP 90 (run 1)");
        assertThat(instances.service(2).refreshed(90).join()).isEqualTo("refreshed PEP 90 (run 1)");

        // Hits on every instance until each has the reloaded value; none is ever slower than a hit.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            boolean all = true;
            for (int i = 0; i < 3; i++) {
                CompletableFuture<String> hit = instances.service(i).refreshed(90);
                assertThat(hit).as("a hit, never a wait").isDone();
                all &= hit.join().equals("refreshed PEP 90 (run 2)");
            }
            return all;
        });
        assertThat(Upstream.executions).as("one reload across the three instances").hasValue(2);
    }
}
