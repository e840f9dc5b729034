package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.alru.autoconfigure.cluster.ClusterInstances.Upstream;
import io.github.alru.spring.AlruConfigurationException;
import io.github.alru.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.NestedExceptionUtils;

/**
 * A Redis that answers but refuses some commands, as one with a narrow ACL does, and a client the
 * tier cannot use (semantics items 24, 26, 29 and 31): what is known at start stops the start,
 * naming what to change; what happens later never loops, and calls still answer within
 * {@code alru.cluster.wait} plus their own load.
 */
class ClusterRedisRefusesTests {

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
        if (instances != null) {
            instances.close();
        }
        redis.close();
    }

    /** Starts an instance that must fail to start; returns the most specific cause of the failure. */
    private Throwable startFailure(String... properties) {
        Throwable thrown = catchThrowable(() -> ClusterInstances.start(redis, properties));
        assertThat(thrown).as("the start failed").isNotNull();
        return NestedExceptionUtils.getMostSpecificCause(thrown);
    }

    @Test
    void aJedisConnectionFactoryStopsTheStartNamingTheCacheAndWhatToChange() {
        assertThat(startFailure("spring.data.redis.client-type=jedis")).isInstanceOf(AlruConfigurationException.class)
                .hasMessageContaining("alru cache '").hasMessageContaining("is CLUSTER")
                .hasMessageContaining("needs Spring Data Redis on Lettuce").hasMessageContaining("JedisConnectionFactory")
                .hasMessageContaining("spring.data.redis.client-type=jedis");
    }

    @Test
    void aRedisUserWithExactlyTheRightsTheReadmeListsIsEnough() throws Exception {
        // README, "Standalone, Redis Cluster and Sentinel": the ACL line, for the prefix "test"
        assertThat(redis.call("ACL", "SETUSER", "app", "on", ">secret", "~test:*", "&test:events", "&test:heartbeat:*", "+eval",
                "+evalsha", "+publish", "+subscribe", "+get", "+set", "+incr", "+pttl", "+pexpire", "+exists", "+del", "+sadd",
                "+srem", "+time", "+info", "+sscan", "+unlink", "+wait", "+ping")).isEqualTo("+OK");
        String[] asApp = {"spring.data.redis.username=app", "spring.data.redis.password=secret"};
        instances = new ClusterInstances(redis, 2, asApp);

        String value = instances.service(0).fetch(3).get(5, TimeUnit.SECONDS);
        assertThat(instances.service(1).fetch(3).get(5, TimeUnit.SECONDS)).as("shared").isEqualTo(value);
        instances.registry(1).get("peps").invalidate(3);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(1)).until(() -> !instances.registry(0).get("peps").contains(3));
        instances.registry(0).get("peps").clear();
        assertThat(instances.service(0).fetch(3).get(5, TimeUnit.SECONDS)).isNotEqualTo(value);
        assertThat(instances.registry(0).get("peps").clusterStats().orElseThrow().errors()
                + instances.registry(1).get("peps").clusterStats().orElseThrow().errors()).as("nothing refused").isZero();
    }

    @Test
    void aRedisUserThatMayNotPublishStopsTheStartNamingTheAddressAndWhatToGrant() throws Exception {
        assertThat(redis.call("ACL", "SETUSER", "default", "-publish")).isEqualTo("+OK");

        long started = System.nanoTime();
        assertThat(startFailure()).isInstanceOf(AlruConfigurationException.class)
                .hasMessageContaining("Redis at 127.0.0.1:" + redis.port() + " refuses PUBLISH on test:heartbeat:")
                .hasMessageContaining("NOPERM").hasMessageContaining("peps").hasMessageContaining("&test:events");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("known at once, not after startup-timeout")
                .isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void aRedisUserThatMayNotRunACommandOfTheScriptsStopsTheStart() throws Exception {
        assertThat(redis.call("ACL", "SETUSER", "default", "-del")).isEqualTo("+OK");

        assertThat(startFailure()).isInstanceOf(AlruConfigurationException.class)
                .hasMessageContaining("refuses the cluster tier's scripts").hasMessageContaining("~test:*");
    }

    @Test
    void anUnreadableCopyThatRedisRefusesToDeleteIsAMissLoadedHereNotALoop() throws Exception {
        instances = new ClusterInstances(redis, 1, "alru.cluster.wait=2s");
        instances.service(0).fetch(6).get(3, TimeUnit.SECONDS); // the cache's first load begins its epoch
        assertThat(redis.call("SET", ClusterInstances.valueKey(redis, "peps", "[7]"), "{not json")).isEqualTo("+OK");
        assertThat(redis.call("ACL", "SETUSER", "default", "-del")).isEqualTo("+OK");
        long errorsBefore = instances.registry(0).get("peps").clusterStats().orElseThrow().errors();

        String value = instances.service(0).fetch(7).get(3, TimeUnit.SECONDS);

        assertThat(value).isEqualTo("PEP 7 (run 2)");
        Thread.sleep(500); // a loop, if there were one, would keep counting errors
        long errors = instances.registry(0).get("peps").clusterStats().orElseThrow().errors() - errorsBefore;
        assertThat(errors).as("the unreadable copy and the refused delete, each counted once").isBetween(1L, 3L);
    }
}
