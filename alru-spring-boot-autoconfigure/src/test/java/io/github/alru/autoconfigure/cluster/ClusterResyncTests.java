package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.alru.autoconfigure.cluster.ClusterInstances.Upstream;
import io.github.alru.cluster.ClusterStats;
import io.github.alru.cluster.ResyncReason;
import io.github.alru.testsupport.TestRedis;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Semantics item 29, resyncs: local copies are dropped only when an invalidation may really have
 * been missed, each drop is counted in {@code alru.cluster.resyncs} by reason and logged once, and
 * a clean start drops nothing and reports no loss.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClusterResyncTests {

    TestRedis redis;
    ClusterInstances instances;

    @BeforeEach
    void start() throws Exception {
        Upstream.reset();
        Upstream.latency = Duration.ofMillis(10);
        redis = TestRedis.start();
    }

    @AfterEach
    void stop() {
        instances.close();
        redis.close();
    }

    private ClusterStats stats(int instance) {
        return instances.registry(instance).get("peps").clusterStats().orElseThrow();
    }

    private double resyncMeter(int instance, String reason) {
        return instances.context(instance).getBean(MeterRegistry.class).get("alru.cluster.resyncs").tag("cache", "peps")
                .tag("reason", reason).functionCounter().count();
    }

    @Test
    void aCleanStartOfThreeInstancesDropsNothingAndReportsNoLostEvents(CapturedOutput output) throws Exception {
        instances = new ClusterInstances(redis, 3);
        for (int i = 0; i < 3; i++) {
            instances.service(i).fetch(1).get(5, TimeUnit.SECONDS);
        }
        instances.registry(2).get("peps").invalidate(1);
        Thread.sleep(1_000); // five heartbeats of every instance

        for (int i = 0; i < 3; i++) {
            for (ResyncReason reason : ResyncReason.values()) {
                assertThat(stats(i).resyncs(reason)).as("instance %d, %s", i, reason).isZero();
                assertThat(resyncMeter(i, reason.tag())).isZero();
            }
        }
        assertThat(output.getOut()).doesNotContain("were lost").doesNotContain("was lost").doesNotContain("may have been lost")
                .doesNotContain("dropping this instance's copies");
    }

    @Test
    void aSubscriptionRedisCutIsMadeAgainAndTheCopiesDroppedOnceCountedAsSubscription(CapturedOutput output)
            throws Exception {
        instances = new ClusterInstances(redis, 2);
        String loaded = instances.service(0).fetch(2).get(5, TimeUnit.SECONDS);
        assertThat(instances.service(1).fetch(2).get(5, TimeUnit.SECONDS)).isEqualTo(loaded);

        assertThat(redis.call("CLIENT", "KILL", "TYPE", "pubsub")).startsWith(":");

        await().atMost(Duration.ofSeconds(3)).until(() -> stats(1).resyncs(ResyncReason.SUBSCRIPTION) == 1);
        assertThat(instances.registry(1).get("peps").contains(2)).as("dropped: it may have missed an invalidation").isFalse();
        assertThat(resyncMeter(1, "subscription")).isEqualTo(1);
        assertThat(stats(1).resyncs(ResyncReason.GAP)).as("one drop, not one more for the same loss").isZero();
        assertThat(instances.service(1).fetch(2).get(5, TimeUnit.SECONDS)).as("read back from Redis, still valid")
                .isEqualTo(loaded);
        assertThat(output.getOut()).contains("the subscription to the event channel was made again");
    }
}
