package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.alru.autoconfigure.cluster.ClusterInstances.Upstream;
import io.github.alru.redis.RedisClusterTier;
import io.github.alru.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What an instance leaves behind when it stops (semantics items 23, 26, 27): calls waiting for
 * another instance's load are not left hanging, invalidations Redis has not confirmed yet still
 * get through, and the tier stops before the Redis connection it uses.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClusterShutdownTests {

    TestRedis redis;
    ClusterInstances instances;

    @BeforeEach
    void start() throws Exception {
        Upstream.reset();
        redis = TestRedis.start();
        instances = new ClusterInstances(redis, 2, "alru.shutdown.wait=false"); // a test's slow loads do not hold its end
    }

    @AfterEach
    void stop() {
        instances.close();
        redis.close();
    }

    @Test
    void aCallWaitingForAnotherInstancesLoadRunsTheMethodItselfWhenItsTierCloses() throws Exception {
        Upstream.latency = Duration.ofSeconds(5);
        CompletableFuture<String> loading = instances.service(0).fetch(1);
        await(() -> Upstream.executions.get() == 1);
        Upstream.latency = Duration.ofMillis(10);
        CompletableFuture<String> waiting = instances.service(1).fetch(1);
        Thread.sleep(300); // it asked Redis, found instance 0's lease, and waits
        assertThat(waiting.isDone()).isFalse();
        assertThat(instances.registry(1).get("peps").clusterStats().orElseThrow().waits()).isEqualTo(1);

        instances.context(1).getBean(RedisClusterTier.class).close();

        assertThat(waiting.get(2, TimeUnit.SECONDS)).as("not left waiting for a wake-up that no longer comes")
                .isEqualTo("PEP 1 (run 2)");
        assertThat(loading.isDone()).isFalse();
    }

    @Test
    void aLoadWhoseInstanceIsGoneIsTakenOverWithinSecondsNotWhenItsThirtySecondLeaseRunsOut() throws Exception {
        Upstream.latency = Duration.ofSeconds(20);
        instances.service(0).fetch(4);
        await(() -> Upstream.executions.get() == 1);
        Upstream.latency = Duration.ofMillis(10);
        CompletableFuture<String> waiting = instances.service(1).fetch(4);
        Thread.sleep(300);
        assertThat(waiting.isDone()).as("waits for instance 0's load").isFalse();

        // Instance 0 vanishes as a killed process does: no more heartbeats, renewals or release.
        instances.context(0).getBean(RedisClusterTier.class).close();

        assertThat(waiting.get(4, TimeUnit.SECONDS)).isEqualTo("PEP 4 (run 2)");
        String key = ClusterInstances.valueKey(redis, "peps", "[4]");
        await(() -> redis.call("EXISTS", key).equals(":1"));
        assertThat(redis.call("EXISTS", key)).as("stored for every instance, under the lease it took over").isEqualTo(":1");
    }

    @Test
    void anInvalidationRedisHasNotConfirmedWhenTheInstanceStopsStillReachesRedisAndTheOthers() throws Exception {
        String old = instances.service(0).fetch(2).join();
        assertThat(instances.service(1).fetch(2).join()).isEqualTo(old);

        ConfigurableApplicationContext first = instances.context(0);
        redis.pause();
        CompletableFuture<Void> stopping;
        try {
            instances.registry(0).get("peps").invalidate(2); // its reply cannot come in time
            Thread.sleep(300);
            stopping = CompletableFuture.runAsync(first::close);
            Thread.sleep(100);
        } finally {
            redis.resume();
        }
        stopping.get(10, TimeUnit.SECONDS);

        await(() -> !instances.registry(1).get("peps").contains(2));
        assertThat(instances.service(1).fetch(2).get(5, TimeUnit.SECONDS)).as("Redis lost its copy too").isNotEqualTo(old);
    }

    @Test
    void stoppingAnInstanceClosesTheTierWhileItsRedisConnectionIsStillOpen(CapturedOutput output) throws Exception {
        instances.service(0).fetch(3).join();
        instances.registry(0).get("peps").invalidate(3);

        instances.context(0).close();

        assertThat(output.getOut() + output.getErr()).doesNotContain("Connection is already closed")
                .doesNotContain("did not confirm");
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(condition);
    }
}
