package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.alru.testsupport.TestRedis;
import io.github.alru.autoconfigure.cluster.ClusterInstances.Upstream;
import io.github.alru.spring.health.AlruClusterHealthIndicator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;

/**
 * Semantics item 29: Redis killed, restarted, paused. Every call still answers, no Redis error
 * reaches a caller, the health component shows the link, and nothing that may have missed an
 * invalidation is served once the link is back. Each test has a Redis of its own to break.
 */
class ClusterOutageTests {

    TestRedis redis;
    ClusterInstances instances;

    @BeforeEach
    void start() throws Exception {
        Upstream.reset();
        Upstream.latency = Duration.ofMillis(50);
        redis = TestRedis.start();
        instances = new ClusterInstances(redis, 2, "management.endpoint.health.show-components=always");
    }

    @AfterEach
    void stop() throws Exception {
        instances.close();
        redis.close();
    }

    private Status alruHealth(int instance) {
        return instances.context(instance).getBean(AlruClusterHealthIndicator.class).health().getStatus();
    }

    private Status overallHealth(int instance) {
        return instances.context(instance).getBean(HealthEndpoint.class).health().getStatus();
    }

    @Test
    void redisKilledThenRestartedEveryCallAnswersAndNothingInvalidatedMeanwhileIsServedAfter() throws Exception {
        assertThat(instances.service(0).fetch(20).join()).isEqualTo("PEP 20 (run 1)");
        assertThat(instances.service(1).fetch(20).join()).isEqualTo("PEP 20 (run 1)");
        assertThat(alruHealth(0)).isEqualTo(Status.UP);

        redis.kill();
        await().atMost(Duration.ofSeconds(3)).until(() -> !instances.tier(0).linkUp() && !instances.tier(1).linkUp());
        assertThat(alruHealth(0)).isEqualTo(AlruClusterHealthIndicator.DEGRADED);
        assertThat(overallHealth(0)).as("the application is not down").isEqualTo(Status.UP);

        // Every call answers: hits from the local copy, misses by running the method here.
        assertThat(instances.service(1).fetch(20).get(2, TimeUnit.SECONDS)).isEqualTo("PEP 20 (run 1)");
        assertThat(instances.service(0).fetch(21).get(2, TimeUnit.SECONDS)).startsWith("PEP 21");
        assertThat(instances.service(1).fetch(21).get(2, TimeUnit.SECONDS)).startsWith("PEP 21");
        // An invalidation no other instance can hear of while Redis is gone.
        instances.registry(0).get("peps").invalidate(20);
        assertThat(instances.registry(1).get("peps").contains(20)).as("stale, for now").isTrue();

        redis.restart();
        await().atMost(Duration.ofSeconds(10)).until(() -> instances.tier(0).linkUp() && instances.tier(1).linkUp());
        assertThat(alruHealth(1)).isEqualTo(Status.UP);

        assertThat(instances.registry(1).get("peps").contains(20)).as("dropped when the link came back").isFalse();
        String after = instances.service(1).fetch(20).get(5, TimeUnit.SECONDS);
        assertThat(after).isNotEqualTo("PEP 20 (run 1)");
        assertThat(instances.service(0).fetch(20).get(5, TimeUnit.SECONDS)).as("shared again").isEqualTo(after);
    }

    @Test
    void redisPausedLongerThanTheTimeoutCallsAnswerWithinTheTimeoutPlusTheMethodsTime() throws Exception {
        redis.pause();
        try {
            long started = System.nanoTime();
            String value = instances.service(0).fetch(30).get(5, TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(value).isEqualTo("PEP 30 (run 1)");
            // redis-timeout 250ms (the acquire is given up to twice that) + the method's 50ms, with room for a slow machine
            assertThat(took).isLessThan(Duration.ofMillis(1_500));
            await().atMost(Duration.ofSeconds(3)).until(() -> !instances.tier(0).linkUp());
            started = System.nanoTime();
            assertThat(instances.service(0).fetch(31).get(5, TimeUnit.SECONDS)).isEqualTo("PEP 31 (run 2)");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("link down: Redis is not even asked")
                    .isLessThan(Duration.ofMillis(1_000));
        } finally {
            redis.resume();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> instances.tier(0).linkUp());
    }

    @Test
    void anInvalidationMadeWhileRedisIsPausedIsSentWhenTheLinkReturnsSoNoInstanceReadsTheOldCopyBack() throws Exception {
        assertThat(instances.service(0).fetch(40).join()).isEqualTo("PEP 40 (run 1)");
        assertThat(instances.service(1).fetch(40).join()).isEqualTo("PEP 40 (run 1)");

        redis.pause();
        try {
            await().atMost(Duration.ofSeconds(3)).until(() -> !instances.tier(0).linkUp() && !instances.tier(1).linkUp());
            instances.registry(0).get("peps").invalidate(40); // cannot reach Redis now: kept, and sent later
        } finally {
            redis.resume();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> instances.tier(0).linkUp() && instances.tier(1).linkUp());

        await().atMost(Duration.ofSeconds(3)).until(() -> instances.service(1).fetch(40).get(2, TimeUnit.SECONDS).equals("PEP 40 (run 2)"));
        assertThat(instances.service(0).fetch(40).get(2, TimeUnit.SECONDS)).isEqualTo("PEP 40 (run 2)");
    }

    @Test
    void afterALongOutageTheLinkIsBackWithinAboutASecondOfRedisAnsweringAgain() throws Exception {
        redis.kill();
        await().atMost(Duration.ofSeconds(3)).until(() -> !instances.tier(0).linkUp() && !instances.tier(1).linkUp());
        Thread.sleep(12_000); // long enough for Lettuce's default reconnect delay to grow past 8 s

        redis.restart();
        long restarted = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> instances.tier(0).linkUp() && instances.tier(1).linkUp());

        assertThat(Duration.ofNanos(System.nanoTime() - restarted)).as("back within about a second, as Redis is")
                .isLessThan(Duration.ofMillis(2_000));
    }
}
