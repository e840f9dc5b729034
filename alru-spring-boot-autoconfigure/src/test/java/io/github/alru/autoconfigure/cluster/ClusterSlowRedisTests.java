package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.alru.autoconfigure.cluster.ClusterInstances.Upstream;
import io.github.alru.testsupport.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Semantics item 27 when Redis is slow for a moment, not down: it is paused for longer than
 * {@code redis-timeout} (250 ms) and much shorter than it takes the link to count as down
 * (600 ms), as a fork for a snapshot or a busy moment of Redis does. An invalidate or clear whose
 * reply came too late is retried until Redis has confirmed it and every instance has heard of it;
 * it is not left waiting for an outage that never comes.
 */
class ClusterSlowRedisTests {

    /** Longer than redis-timeout, shorter than three heartbeats. */
    static final Duration SLOW_MOMENT = Duration.ofMillis(400);

    static TestRedis redis;
    static ClusterInstances instances;

    @BeforeAll
    static void startRedisAndInstances() throws Exception {
        redis = TestRedis.start();
        instances = new ClusterInstances(redis, 3);
    }

    @AfterAll
    static void stopInstancesAndRedis() {
        instances.close();
        redis.close();
    }

    @BeforeEach
    void resetUpstream() {
        Upstream.reset();
        Upstream.latency = Duration.ofMillis(20);
    }

    /** Loads the key on every instance (once across them); returns the value they share. */
    private String loadEverywhere(int number) {
        String loaded = instances.service(0).fetch(number).join();
        for (int i = 1; i < instances.size(); i++) {
            assertThat(instances.service(i).fetch(number).join()).isEqualTo(loaded);
        }
        return loaded;
    }

    /** Runs {@code action} while Redis does not answer, for a moment shorter than an outage. */
    private void whileRedisIsSlow(Runnable action) throws Exception {
        redis.pause();
        try {
            action.run();
            Thread.sleep(SLOW_MOMENT.toMillis());
        } finally {
            redis.resume();
        }
    }

    private boolean nobodyServes(String old, int number) throws Exception {
        for (int i = 0; i < instances.size(); i++) {
            if (instances.service(i).fetch(number).get(5, TimeUnit.SECONDS).equals(old)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void anInvalidateWhoseReplyCameTooLateReachesEveryInstanceAndRedisWithinOneSecondOfRedisAnsweringAgain() throws Exception {
        String old = loadEverywhere(1);

        whileRedisIsSlow(() -> instances.registry(0).get("peps").invalidate(1));

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> !instances.registry(1).get("peps").contains(1) && !instances.registry(2).get("peps").contains(1));
        assertThat(nobodyServes(old, 1)).as("no instance reads the invalidated copy back from Redis").isTrue();
        assertThat(Upstream.executions).as("the method ran again, once across instances").hasValue(2);
    }

    @Test
    void aClearWhoseReplyCameTooLateReachesEveryInstanceAndRedisWithinOneSecondOfRedisAnsweringAgain() throws Exception {
        String old = loadEverywhere(2);

        whileRedisIsSlow(() -> instances.registry(0).get("peps").clear());

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> !instances.registry(1).get("peps").contains(2) && !instances.registry(2).get("peps").contains(2));
        assertThat(nobodyServes(old, 2)).as("no instance reads a copy of before the clear back from Redis").isTrue();
    }

    @Test
    void invalidationsMadeOnManyThreadsWhileRedisIsSlowAllArrive() throws Exception {
        int keys = 40;
        Map<Integer, String> old = new HashMap<>();
        for (int number = 100; number < 100 + keys; number++) {
            old.put(number, loadEverywhere(number));
        }

        whileRedisIsSlow(() -> {
            CompletableFuture<?>[] invalidations = new CompletableFuture<?>[keys];
            for (int k = 0; k < keys; k++) {
                int number = 100 + k;
                int instance = k % 3 == 0 ? 0 : 1;
                invalidations[k] = CompletableFuture.runAsync(() -> instances.registry(instance).get("peps").invalidate(number));
            }
            CompletableFuture.allOf(invalidations).join();
        });

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> {
            for (int number = 100; number < 100 + keys; number++) {
                for (int i = 0; i < instances.size(); i++) {
                    if (instances.registry(i).get("peps").contains(number)) {
                        return false;
                    }
                }
            }
            return true;
        });
        for (int number = 100; number < 100 + keys; number++) {
            assertThat(nobodyServes(old.get(number), number)).as("key %d", number).isTrue();
        }
    }
}
