package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.alru.autoconfigure.cluster.ClusterInstances.Upstream;
import io.github.alru.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Semantics item 29, "a JVM pause is not an outage": only Redis marks the link down. A whole JVM
 * stopped for seconds (a long garbage collection, a throttled container; here {@code SIGSTOP} on a
 * separate JVM) finds on waking that its heartbeats were late by its own clock, not that Redis
 * failed: it keeps its link and its copies, and goes on hearing invalidations.
 */
class ClusterJvmPauseTests {

    TestRedis redis;
    SeparateJvmInstance paused;
    ClusterInstances others;

    @BeforeEach
    void start() throws Exception {
        Upstream.reset();
        Upstream.latency = Duration.ofMillis(10);
        redis = TestRedis.start();
        paused = SeparateJvmInstance.start(redis);
        others = new ClusterInstances(redis, 1);
    }

    @AfterEach
    void stop() throws Exception {
        if (others != null) {
            others.close();
        }
        if (paused != null) {
            paused.close();
        }
        redis.close();
    }

    @Test
    void aJvmStoppedForFifteenHeartbeatsKeepsItsLinkAndItsCopiesAndStillHearsInvalidations() throws Exception {
        String loaded = paused.ask("fetch 50");
        assertThat(others.service(0).fetch(50).get(5, TimeUnit.SECONDS)).as("shared across JVMs").isEqualTo(loaded);
        assertThat(Upstream.executions).as("this JVM ran nothing").hasValue(0);

        paused.pause();
        Thread.sleep(3_000); // 15 heartbeat periods of 200 ms: five times what a dead Redis takes to count as down
        paused.resume();
        Thread.sleep(1_000); // five heartbeats after waking, for a false outage to show and end

        assertThat(paused.ask("linkUp")).isEqualTo("true");
        assertThat(paused.ask("resyncs peps")).as("nothing dropped").isEqualTo("0");
        assertThat(paused.ask("contains peps 50")).as("its copy kept").isEqualTo("true");
        assertThat(paused.output()).as("no outage logged").noneMatch(line -> line.contains("is down"));

        others.registry(0).get("peps").invalidate(50);
        await().atMost(Duration.ofSeconds(2)).until(() -> paused.ask("contains peps 50").equals("false"));
    }
}
