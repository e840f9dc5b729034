package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.alru.autoconfigure.cluster.ClusterInstances.Upstream;
import io.github.alru.cluster.ResyncReason;
import io.github.alru.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Review D2: a Redis that restarts from a snapshot (RDB) taken before an invalidation holds the
 * invalidated value again. Every instance tells a restarted Redis by its run id before it trusts
 * it again, and the first to see a cache there after the restart starts a new epoch of it: nothing
 * the snapshot brought back is served, by any instance, at any moment after the restart.
 */
class ClusterRedisRestartTests {

    TestRedis redis;
    ClusterInstances instances;

    @BeforeEach
    void start() throws Exception {
        Upstream.reset();
        Upstream.latency = Duration.ofMillis(5);
        redis = TestRedis.start();
        instances = new ClusterInstances(redis, 2);
    }

    @AfterEach
    void stop() {
        instances.close();
        redis.close();
    }

    @Test
    void aRedisRestartedFromASnapshotTakenBeforeAnInvalidateNeverServesTheInvalidatedValue() throws Exception {
        String invalidated = instances.service(0).fetch(9).get(5, TimeUnit.SECONDS);
        assertThat(instances.service(1).fetch(9).get(5, TimeUnit.SECONDS)).isEqualTo(invalidated);
        assertThat(redis.call("SAVE")).isEqualTo("+OK"); // the snapshot holds the value
        instances.registry(0).get("peps").invalidate(9);
        await().atMost(Duration.ofSeconds(2)).until(() -> !instances.registry(1).get("peps").contains(9)
                && redis.call("EXISTS", ClusterInstances.valueKey(redis, "peps", "[9]")).equals(":0"));

        redis.kill();
        redis.restart(); // from the snapshot: the invalidated value is back in Redis
        assertThat(redis.call("EXISTS", ClusterInstances.valueKey(redis, "peps", "[9]"))).as("restored").isEqualTo(":1");

        // Calls from the moment Redis is back, through the link's return, and after.
        List<String> served = new ArrayList<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < until) {
            served.add(instances.service(0).fetch(9).get(5, TimeUnit.SECONDS));
            served.add(instances.service(1).fetch(9).get(5, TimeUnit.SECONDS));
        }
        assertThat(served).as("never the invalidated value").doesNotContain(invalidated);
        assertThat(instances.tier(0).linkUp() && instances.tier(1).linkUp()).isTrue();
        String after = instances.service(1).fetch(9).get(5, TimeUnit.SECONDS);
        instances.registry(0).get("peps").invalidate(10); // unrelated: the caches share again
        assertThat(instances.service(0).fetch(11).get(5, TimeUnit.SECONDS)).isEqualTo(instances.service(1).fetch(11).get(5, TimeUnit.SECONDS));
        assertThat(after).isNotEqualTo(invalidated);
        long restarts = instances.registry(0).get("peps").clusterStats().orElseThrow().resyncs(ResyncReason.RESTART)
                + instances.registry(1).get("peps").clusterStats().orElseThrow().resyncs(ResyncReason.RESTART);
        assertThat(restarts).as("each instance noticed the restart").isEqualTo(2);
    }
}
