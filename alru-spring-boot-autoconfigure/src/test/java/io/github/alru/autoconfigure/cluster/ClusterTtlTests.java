package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.alru.autoconfigure.cluster.ClusterInstances.Pep;
import io.github.alru.autoconfigure.cluster.ClusterInstances.PepService;
import io.github.alru.autoconfigure.cluster.ClusterInstances.Upstream;
import io.github.alru.AlruCacheRegistry;
import io.github.alru.testsupport.FaultProxy;
import io.github.alru.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Semantics items 5 and 30 across a change of settings: instances of a new deployment with a
 * shorter ttl than the copies already in Redis (or a ttl where there was none) never serve those
 * copies longer than their own ttl; and a copy read from Redis lives no longer than the Redis copy,
 * however slow the round trip. Time is the feature here, so these tests wait for it.
 */
class ClusterTtlTests {

    TestRedis redis;
    ConfigurableApplicationContext before;
    ConfigurableApplicationContext after;

    @BeforeEach
    void start() throws Exception {
        Upstream.reset();
        Upstream.latency = Duration.ofMillis(10);
        redis = TestRedis.start();
    }

    @AfterEach
    void stop() {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {before, after}) {
            if (context != null) {
                context.close();
            }
        }
        redis.close();
    }

    @Test
    void aTtlAddedInANewDeploymentAppliesToTheCopiesAnOldOneStoredWithoutATtl() throws Exception {
        before = ClusterInstances.start(redis); // pepList has no ttl
        after = ClusterInstances.start(redis, "alru.caches.pepList.ttl=1s");
        List<Pep> loaded = before.getBean(PepService.class).list("guido").join();
        assertThat(after.getBean(PepService.class).list("guido").join()).as("shared").isEqualTo(loaded);
        assertThat(Upstream.executions).hasValue(1);

        Thread.sleep(1_300);

        after.getBean(PepService.class).list("guido").get(5, TimeUnit.SECONDS);
        assertThat(Upstream.executions).as("the copy without a ttl was not served past the new ttl").hasValue(2);
    }

    @Test
    void aCopyReadFromRedisOverASlowLinkNeverOutlivesTheRedisCopyByTheRoundTrip() throws Exception {
        try (FaultProxy slowLink = FaultProxy.to(redis.port())) {
            before = ClusterInstances.start(redis, "alru.caches.peps.ttl=2s");
            after = ClusterInstances.start(redis, "alru.caches.peps.ttl=2s", "spring.data.redis.port=" + slowLink.port(),
                    "alru.cluster.redis-timeout=3s");
            slowLink.slow(Duration.ofMillis(250));
            String loaded = before.getBean(PepService.class).fetch(5).join();
            Thread.sleep(300);
            assertThat(after.getBean(PepService.class).fetch(5).get(5, TimeUnit.SECONDS)).as("read from Redis").isEqualTo(loaded);
            String valueKey = ClusterInstances.valueKey(redis, "peps", "[5]");

            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(5)).until(() -> redis.call("PTTL", valueKey).equals(":-2"));

            assertThat(after.getBean(AlruCacheRegistry.class).get("peps").contains(5)).as("the local copy is gone with it").isFalse();
            slowLink.slow(Duration.ZERO);
        }
    }

    @Test
    void aShorterTtlInANewDeploymentAppliesToTheLongerLivedCopiesAlreadyInRedis() throws Exception {
        before = ClusterInstances.start(redis); // peps: ttl 1m
        after = ClusterInstances.start(redis, "alru.caches.peps.ttl=1s");
        String loaded = before.getBean(PepService.class).fetch(5).join();
        assertThat(after.getBean(PepService.class).fetch(5).join()).isEqualTo(loaded);

        Thread.sleep(1_300);

        assertThat(after.getBean(PepService.class).fetch(5).get(5, TimeUnit.SECONDS)).isNotEqualTo(loaded);
        assertThat(Upstream.executions).hasValue(2);
    }
}
