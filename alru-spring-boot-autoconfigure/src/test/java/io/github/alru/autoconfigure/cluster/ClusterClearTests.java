package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.alru.autoconfigure.cluster.ClusterInstances.Upstream;
import io.github.alru.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Semantics item 27, a clear in Redis: what it orphans is deleted without walking the keyspace, and
 * costs nothing that grows with the other keys of that Redis.
 */
class ClusterClearTests {

    private static final int OTHER_KEYS = 20_000;

    TestRedis redis;
    ClusterInstances instances;

    @BeforeEach
    void start() throws Exception {
        Upstream.reset();
        Upstream.latency = Duration.ofMillis(1);
        redis = TestRedis.start();
        // another application's keys in the same Redis
        assertThat(redis.call("EVAL", "for i = 1, tonumber(ARGV[1]) do redis.call('SET', 'other:' .. i, 'x') end return 1", "0",
                Integer.toString(OTHER_KEYS))).isEqualTo(":1");
        instances = new ClusterInstances(redis, 2);
    }

    @AfterEach
    void stop() {
        instances.close();
        redis.close();
    }

    private int keys(String pattern) throws IOException {
        return Integer.parseInt(redis.call("EVAL", "return #redis.call('KEYS', ARGV[1])", "0", pattern).substring(1));
    }

    private boolean commandRan(String command) throws IOException {
        return redis.call("EVAL", "return string.find(redis.call('INFO', 'commandstats'), 'cmdstat_' .. ARGV[1] .. ':', 1, true)"
                + " and 1 or 0", "0", command).equals(":1");
    }

    @Test
    void aClearDeletesTheValuesACacheWithoutTtlKeptForGoodWithoutScanningTheKeyspace() throws Exception {
        for (int i = 0; i < 1_200; i++) {
            instances.service(i % 2).list("author " + i).get(5, TimeUnit.SECONDS);
        }
        instances.registry(0).get("pepList").invalidate("author 7");
        String epoch = ClusterInstances.epoch(redis, "pepList", "[\"author 3\"]");
        await().atMost(Duration.ofSeconds(2)).until(() -> keys("test:{pepList/*}:*:v:*") == 1_199);
        assertThat(redis.call("CONFIG", "RESETSTAT")).isEqualTo("+OK");

        instances.registry(1).get("pepList").clear();

        await().atMost(Duration.ofSeconds(5)).until(() -> keys("test:{pepList/*}:*:v:*") + keys("test:{pepList/*}:*:keys") == 0);
        assertThat(commandRan("scan")).as("no SCAN of the keyspace").isFalse();
        assertThat(commandRan("sscan")).as("the epoch's own list was read").isTrue();
        assertThat(keys("other:*")).as("the other application's keys").isEqualTo(OTHER_KEYS);
        int executions = Upstream.executions.get();
        instances.service(0).list("author 3").get(5, TimeUnit.SECONDS);
        instances.service(1).list("author 3").get(5, TimeUnit.SECONDS);
        assertThat(Upstream.executions).as("loaded once again, and shared").hasValue(executions + 1);
        assertThat(ClusterInstances.epoch(redis, "pepList", "[\"author 3\"]")).as("a new epoch").isNotEqualTo(epoch);
        assertThat(keys("test:{pepList/*}:*:v:*")).isEqualTo(1);
    }

    @Test
    void anEpochKeyLostAfterAClearBringsNothingBackThatTheClearRemoved() throws Exception {
        String before = instances.service(0).fetch(5).get(5, TimeUnit.SECONDS);
        instances.registry(1).get("peps").clear();
        await().atMost(Duration.ofSeconds(2)).until(() -> !instances.registry(0).get("peps").contains(5));

        // as maxmemory with an allkeys policy may evict it, or a restart from an older snapshot lose it
        assertThat(redis.call("DEL", ClusterInstances.bucketBase("peps", "[5]") + "epoch")).isEqualTo(":1");

        assertThat(instances.service(1).fetch(5).get(5, TimeUnit.SECONDS)).as("the cleared value").isNotEqualTo(before);
        assertThat(instances.service(0).fetch(5).get(5, TimeUnit.SECONDS)).as("shared again")
                .isEqualTo(instances.service(1).fetch(5).get(5, TimeUnit.SECONDS));
    }

    @Test
    void aClearOfACacheWithTtlLeavesItsKeysToExpireAndDeletesNothing() throws Exception {
        for (int i = 0; i < 20; i++) {
            instances.service(0).fetch(i).get(5, TimeUnit.SECONDS);
        }
        String oldKey = ClusterInstances.valueKey(redis, "peps", "[3]");
        assertThat(redis.call("CONFIG", "RESETSTAT")).isEqualTo("+OK");

        instances.registry(1).get("peps").clear();

        await().atMost(Duration.ofSeconds(5)).until(() -> commandRan("sscan"));
        assertThat(keys("test:{peps/*}:*:v:*")).as("left to their ttl").isEqualTo(20);
        assertThat(redis.call("PTTL", oldKey)).startsWith(":").isNotEqualTo(":-1");
        assertThat(commandRan("scan")).isFalse();
    }
}
