package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.alru.autoconfigure.cluster.ClusterInstances.Upstream;
import io.github.alru.testsupport.TestRedis;
import io.github.alru.testsupport.TestRedisCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Semantics item 36 on a Redis Cluster of three masters (formed from the shipped binary), with the
 * instances on {@code spring.data.redis.cluster.nodes}: what holds on one standalone Redis holds
 * there, a cache's keys spread over every shard, and a master killed leaves every call answering.
 */
@DisabledIfSystemProperty(named = "alru.redis.topologies", matches = "false", disabledReason = "-Dalru.redis.topologies=false")
class ClusterOnRedisClusterTests {

    TestRedisCluster cluster;
    ClusterInstances instances;
    final ExecutorService callers = Executors.newFixedThreadPool(60);

    @BeforeEach
    void start() throws Exception {
        Upstream.reset();
        cluster = TestRedisCluster.start(3);
        instances = ClusterInstances.on(List.of("spring.data.redis.cluster.nodes=" + cluster.nodes()), 3);
    }

    @AfterEach
    void stop() {
        callers.shutdownNow();
        if (instances != null) {
            instances.close();
        }
        cluster.close();
    }

    @Test
    void aValueLoadedOnOneInstanceIsServedToTheOthersFromTheCluster() {
        assertThat(instances.service(0).fetch(8).join()).isEqualTo("PEP 8 (run 1)");

        assertThat(instances.service(1).fetch(8).join()).isEqualTo("PEP 8 (run 1)");
        assertThat(instances.service(2).fetch(8).join()).isEqualTo("PEP 8 (run 1)");
        assertThat(Upstream.executions).hasValue(1);
        assertThat(instances.registry(1).get("peps").clusterStats().orElseThrow().hits()).isEqualTo(1);
    }

    @Test
    void twentyColdCallsOnEachOfThreeInstancesRunTheMethodOnce() throws Exception {
        for (int key = 0; key < 5; key++) { // keys of different buckets, so of different shards
            int number = 100 + key;
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ClusterInstances.PepService service = instances.service(i);
                for (int t = 0; t < 20; t++) {
                    calls.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return service.fetch(number);
                    }, callers).thenCompose(future -> future));
                }
            }
            go.countDown();
            Set<String> values = calls.stream().map(call -> call.orTimeout(10, TimeUnit.SECONDS).join()).collect(Collectors.toSet());

            assertThat(values).as("key " + number).hasSize(1);
            assertThat(Upstream.executions).as("executions after key " + number).hasValue(key + 1);
        }
    }

    @Test
    void anInvalidateAndAClearReachEveryInstanceAndTheCluster() {
        for (int i = 0; i < 3; i++) {
            instances.service(i).fetch(9).join();
            instances.service(i).fetch(10).join();
        }
        assertThat(Upstream.executions).hasValue(2);

        assertThat(instances.registry(1).get("peps").invalidate(9)).isTrue();
        await().atMost(Duration.ofSeconds(1)).until(() -> !instances.registry(0).get("peps").contains(9)
                && !instances.registry(2).get("peps").contains(9));
        assertThat(instances.service(2).fetch(9).join()).as("the cluster's copy is gone too").isEqualTo("PEP 9 (run 3)");

        instances.registry(0).get("peps").clear();
        await().atMost(Duration.ofSeconds(1)).until(() -> !instances.registry(1).get("peps").contains(10)
                && !instances.registry(2).get("peps").contains(10));
        assertThat(instances.service(1).fetch(10).join()).as("cleared in the cluster too").isEqualTo("PEP 10 (run 4)");
        assertThat(instances.service(2).fetch(10).join()).isEqualTo("PEP 10 (run 4)");
    }

    @Test
    void aCachesKeysSpreadOverEveryShard() throws Exception {
        Upstream.latency = Duration.ZERO;
        for (int number = 0; number < 300; number++) {
            instances.service(number % 3).fetch(number).get(5, TimeUnit.SECONDS);
        }

        List<Integer> perShard = new ArrayList<>();
        for (TestRedis master : cluster.masters()) {
            perShard.add(Integer.parseInt(master.call("EVAL", "return #redis.call('KEYS', ARGV[1])", "0", "test:{peps/*}:*:v:*")
                    .substring(1)));
        }
        System.out.println("values of 300 keys per master: " + perShard); // the figure in README's table
        assertThat(perShard.stream().mapToInt(Integer::intValue).sum()).isEqualTo(300);
        assertThat(perShard).as("values per master " + perShard).allMatch(count -> count >= 70);
        assertThat(Upstream.executions).hasValue(300);
    }

    @Test
    void aMasterKilledLeavesEveryCallAnsweringAndTheOtherShardsSharing() throws Exception {
        Upstream.latency = Duration.ofMillis(5);
        for (int number = 0; number < 30; number++) {
            instances.service(0).fetch(number).get(5, TimeUnit.SECONDS);
        }

        cluster.masters().get(2).kill();

        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 3; i++) {
                for (int number = 0; number < 40; number++) {
                    assertThat(instances.service(i).fetch(number).get(5, TimeUnit.SECONDS)).as("instance " + i + ", key " + number)
                            .startsWith("PEP " + number + " (run ");
                }
            }
        }
        // Instances whose link is still up keep sharing on the other shards. (An instance whose
        // subscription was on the killed master answers alone until the master is back or replaced.)
        Thread.sleep(1_000); // over three heartbeats: an instance that stopped hearing itself has marked its link down
        List<Integer> up = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            if (instances.tier(i).linkUp()) {
                up.add(i);
            }
        }
        TestRedis dead = cluster.masters().get(2);
        for (int number = 500; number < 520 && up.size() > 1; number++) {
            int slot = io.lettuce.core.cluster.SlotHash.getSlot(ClusterInstances.bucketBase("peps", "[" + number + "]"));
            if (cluster.masterOf(slot) == dead) {
                continue;
            }
            int before = Upstream.executions.get();
            String value = instances.service(up.get(0)).fetch(number).get(5, TimeUnit.SECONDS);
            for (int i : up) {
                assertThat(instances.service(i).fetch(number).get(5, TimeUnit.SECONDS)).as("key " + number + " on " + i).isEqualTo(value);
            }
            assertThat(Upstream.executions.get() - before).as("executions of key " + number + " on a live shard").isEqualTo(1);
        }
    }
}
