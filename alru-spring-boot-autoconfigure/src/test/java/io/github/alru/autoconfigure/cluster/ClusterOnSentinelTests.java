package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.alru.autoconfigure.cluster.ClusterInstances.Upstream;
import io.github.alru.testsupport.TestRedis;
import io.github.alru.testsupport.TestRedisSentinel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Semantics item 36 behind Sentinel (a master, its replica and three sentinels, from the shipped
 * binary, {@code min-replicas-to-write 1} as Redis advises), with the instances on
 * {@code spring.data.redis.sentinel.*}: values are shared; the master killed, every call keeps
 * answering and sharing resumes on the promoted replica once it has a replica again; and an
 * invalidate acknowledged just before the kill is not undone by the failover.
 */
@DisabledIfSystemProperty(named = "alru.redis.topologies", matches = "false", disabledReason = "-Dalru.redis.topologies=false")
class ClusterOnSentinelTests {

    TestRedisSentinel sentinel;
    ClusterInstances instances;

    @BeforeEach
    void start() throws Exception {
        Upstream.reset();
        Upstream.latency = Duration.ofMillis(20);
        sentinel = TestRedisSentinel.start();
        instances = ClusterInstances.on(List.of("spring.data.redis.sentinel.master=" + TestRedisSentinel.MASTER,
                "spring.data.redis.sentinel.nodes=" + sentinel.sentinelNodes()), 3);
    }

    @AfterEach
    void stop() {
        if (instances != null) {
            instances.close();
        }
        sentinel.close();
    }

    @Test
    void aValueLoadedOnOneInstanceIsServedToTheOthersThroughTheSentinelsMaster() {
        assertThat(instances.service(0).fetch(8).join()).isEqualTo("PEP 8 (run 1)");

        assertThat(instances.service(1).fetch(8).join()).isEqualTo("PEP 8 (run 1)");
        assertThat(instances.service(2).fetch(8).join()).isEqualTo("PEP 8 (run 1)");
        assertThat(Upstream.executions).hasValue(1);
    }

    @Test
    void theMasterKilledEveryCallKeepsAnsweringAndSharingResumesOnThePromotedReplicaOnceItHasAReplica() throws Exception {
        TestRedis master = sentinel.master();
        instances.service(0).fetch(1).get(5, TimeUnit.SECONDS);

        master.kill();

        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3); // through the failover
        for (int number = 0; System.nanoTime() < until; number = (number + 1) % 20) {
            for (int i = 0; i < 3; i++) {
                assertThat(instances.service(i).fetch(number).get(5, TimeUnit.SECONDS)).startsWith("PEP " + number + " (run ");
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> sentinel.master() != master);
        // The promoted replica takes writes once it has a replica of its own (min-replicas-to-write 1):
        // the old master, restarted, rejoins as one
        master.restart();
        int[] key = {1_000};
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            int number = key[0]++;
            int before = Upstream.executions.get();
            String first = instances.service(0).fetch(number).get(5, TimeUnit.SECONDS);
            return instances.service(1).fetch(number).get(5, TimeUnit.SECONDS).equals(first)
                    && instances.service(2).fetch(number).get(5, TimeUnit.SECONDS).equals(first)
                    && Upstream.executions.get() == before + 1;
        });
    }

    @Test
    void anInvalidateAcknowledgedJustBeforeTheMasterIsKilledIsNotUndoneByTheFailover() throws Exception {
        for (int i = 0; i < 3; i++) {
            instances.service(i).fetch(5).get(5, TimeUnit.SECONDS);
        }
        String before = instances.service(0).fetch(5).get(5, TimeUnit.SECONDS);
        TestRedis master = sentinel.master();
        TestRedis replica = sentinel.servers().get(0) == master ? sentinel.servers().get(1) : sentinel.servers().get(0);
        String valueKey = ClusterInstances.valueKey(master, "peps", "[5]");
        assertThat(replica.call("EXISTS", valueKey)).isEqualTo(":1");

        assertThat(instances.registry(0).get("peps").invalidate(5)).isTrue();
        await().atMost(Duration.ofSeconds(1)).until(() -> !instances.registry(1).get("peps").contains(5));
        master.kill();

        assertThat(replica.call("EXISTS", valueKey)).as("the replica had it when the master died").isEqualTo(":0");
        await().atMost(Duration.ofSeconds(30)).until(() -> sentinel.master() == replica);
        for (int i = 0; i < 3; i++) {
            assertThat(instances.service(i).fetch(5).get(5, TimeUnit.SECONDS)).as("instance " + i).isNotEqualTo(before);
        }
    }

    @Test
    void whileTheReplicaIsStoppedAnInvalidateStillReachesTheOthersAndIsSentAgainUntilAReplicaHasIt() throws Exception {
        for (int i = 0; i < 3; i++) {
            instances.service(i).fetch(6).get(5, TimeUnit.SECONDS);
        }
        TestRedis master = sentinel.master();
        TestRedis replica = sentinel.servers().get(0) == master ? sentinel.servers().get(1) : sentinel.servers().get(0);
        replica.pause();
        try {
            assertThat(instances.registry(0).get("peps").invalidate(6)).isTrue();

            await().atMost(Duration.ofSeconds(1)).until(() -> !instances.registry(1).get("peps").contains(6)
                    && !instances.registry(2).get("peps").contains(6));
            await().atMost(Duration.ofSeconds(5)).until(() -> waits(master) >= 2); // not acknowledged: sent again
        } finally {
            replica.resume();
        }
        long settled = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long last = -1;
        while (System.nanoTime() < settled) { // once a replica has it, nothing is sent again
            long now = waits(master);
            if (now == last) {
                break;
            }
            last = now;
            Thread.sleep(1_500);
        }
        assertThat(waits(master)).as("no more WAITs once acknowledged").isEqualTo(last);
        assertThat(replica.call("EXISTS", ClusterInstances.valueKey(master, "peps", "[6]"))).isEqualTo(":0");
    }

    /** How many times the master ran WAIT. */
    private static long waits(TestRedis master) throws IOException {
        for (String line : master.text("INFO", "commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_wait:calls=")) {
                return Long.parseLong(line.substring("cmdstat_wait:calls=".length(), line.indexOf(',')));
            }
        }
        return 0;
    }
}
