package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.alru.AlruCacheRegistry;
import io.github.alru.autoconfigure.cluster.ClusterInstances.PepService;
import io.github.alru.autoconfigure.cluster.ClusterInstances.Upstream;
import io.github.alru.cluster.ClusterTier;
import io.github.alru.cluster.ResyncReason;
import io.github.alru.testsupport.FaultProxy;
import io.github.alru.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Semantics items 27 and 29 when one instance alone is cut off from Redis (a {@link FaultProxy}
 * between it and Redis), as README's "What a cut-off instance serves" describes: it keeps
 * answering from its own entries, may serve what others invalidated while the cut lasts, and when
 * it heals it sends its own invalidations before it counts as linked, then drops its copies.
 */
class ClusterPartitionTests {

    TestRedis redis;
    FaultProxy proxy;
    ConfigurableApplicationContext direct;
    ConfigurableApplicationContext cutOff;

    @BeforeEach
    void start() throws Exception {
        Upstream.reset();
        Upstream.latency = Duration.ofMillis(10);
        redis = TestRedis.start();
        proxy = FaultProxy.to(redis.port());
        direct = ClusterInstances.start(redis);
        cutOff = ClusterInstances.start(redis, "spring.data.redis.port=" + proxy.port());
    }

    @AfterEach
    void stop() {
        cutOff.close();
        direct.close();
        proxy.close();
        redis.close();
    }

    private static PepService service(ConfigurableApplicationContext context) {
        return context.getBean(PepService.class);
    }

    private static boolean linkUp(ConfigurableApplicationContext context) {
        return context.getBean(ClusterTier.class).linkUp();
    }

    @Test
    void aCutOffInstanceAnswersAloneAndOnHealingSendsItsInvalidationsThenDropsWhatItMayHaveMissed() throws Exception {
        String first = service(direct).fetch(1).get(5, TimeUnit.SECONDS);
        String second = service(direct).fetch(2).get(5, TimeUnit.SECONDS);
        assertThat(service(cutOff).fetch(1).get(5, TimeUnit.SECONDS)).isEqualTo(first);
        assertThat(service(cutOff).fetch(2).get(5, TimeUnit.SECONDS)).isEqualTo(second);

        proxy.partition();
        await().atMost(Duration.ofSeconds(3)).until(() -> !linkUp(cutOff));
        assertThat(linkUp(direct)).as("only the cut-off instance lost Redis").isTrue();

        direct.getBean(AlruCacheRegistry.class).get("peps").invalidate(1);
        cutOff.getBean(AlruCacheRegistry.class).get("peps").invalidate(2); // reaches Redis after healing
        long started = System.nanoTime();
        assertThat(service(cutOff).fetch(1).get(2, TimeUnit.SECONDS)).as("its own entry: it cannot know").isEqualTo(first);
        assertThat(service(cutOff).fetch(3).get(2, TimeUnit.SECONDS)).as("a miss runs here").startsWith("PEP 3");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("without waiting for Redis").isLessThan(Duration.ofSeconds(1));
        assertThat(service(direct).fetch(2).get(5, TimeUnit.SECONDS)).as("not yet told").isEqualTo(second);

        proxy.heal();
        await().atMost(Duration.ofSeconds(5)).until(() -> linkUp(cutOff));

        // sent before its link counted as up; the other instance hears of it a moment later
        await().atMost(Duration.ofSeconds(1))
                .until(() -> !direct.getBean(AlruCacheRegistry.class).get("peps").contains(2));
        assertThat(service(direct).fetch(2).get(5, TimeUnit.SECONDS)).as("nor read back from Redis").isNotEqualTo(second);
        assertThat(service(cutOff).fetch(1).get(5, TimeUnit.SECONDS)).as("what it may have missed was dropped")
                .isNotEqualTo(first);
        assertThat(cutOff.getBean(AlruCacheRegistry.class).get("peps").clusterStats().orElseThrow()
                .resyncs(ResyncReason.OUTAGE)).isEqualTo(1);
    }
}
