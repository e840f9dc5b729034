package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import io.github.alru.autoconfigure.cluster.ClusterInstances.Upstream;
import io.github.alru.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * A Redis that answers but refuses some commands, as one with a narrow ACL does (contract items
 * 26, 29 and 31): calls still answer, within {@code alru.cluster.wait} plus their own load, and
 * no refusal loops.
 */
class ClusterRedisRefusesTests {

    TestRedis redis;
    ClusterInstances instances;

    @BeforeEach
    void start() throws Exception {
        Upstream.reset();
        Upstream.latency = Duration.ofMillis(10);
        redis = TestRedis.start();
        instances = new ClusterInstances(redis, 1, "alru.cluster.wait=2s");
    }

    @AfterEach
    void stop() {
        instances.close();
        redis.close();
    }

    private void redis(String... command) {
        byte[][] args = new byte[command.length - 1][];
        for (int i = 1; i < command.length; i++) {
            args[i - 1] = command[i].getBytes(StandardCharsets.UTF_8);
        }
        try (RedisConnection connection = instances.context(0).getBean(RedisConnectionFactory.class).getConnection()) {
            connection.execute(command[0], args);
        }
    }

    private static String hashOf(String argumentsJson) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(argumentsJson.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anUnreadableCopyThatRedisRefusesToDeleteIsAMissLoadedHereNotALoop() throws Exception {
        redis("SET", "test:{peps}:0:v:" + hashOf("[7]"), "{not json");
        redis("ACL", "SETUSER", "default", "-del");
        long errorsBefore = instances.registry(0).get("peps").clusterStats().orElseThrow().errors();

        String value = instances.service(0).fetch(7).get(3, TimeUnit.SECONDS);

        assertThat(value).isEqualTo("PEP 7 (run 1)");
        Thread.sleep(500); // a loop, if there were one, would keep counting errors
        long errors = instances.registry(0).get("peps").clusterStats().orElseThrow().errors() - errorsBefore;
        assertThat(errors).as("the unreadable copy and the refused delete, each counted once").isBetween(1L, 3L);
    }
}
