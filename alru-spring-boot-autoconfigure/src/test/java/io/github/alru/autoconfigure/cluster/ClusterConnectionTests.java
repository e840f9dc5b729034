package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.alru.autoconfigure.cluster.ClusterInstances.Upstream;
import io.github.alru.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The tier's commands go through the connection factory's shared Lettuce connection, fetched once:
 * when the application resets that connection (Spring Data's {@code resetConnection()}), the
 * instance goes on sharing, without an outage.
 */
class ClusterConnectionTests {

    TestRedis redis;
    ClusterInstances instances;

    @BeforeEach
    void start() throws Exception {
        Upstream.reset();
        Upstream.latency = Duration.ofMillis(5);
        redis = TestRedis.start();
        instances = new ClusterInstances(redis, 2);
    }

    @AfterEach
    void stop() {
        instances.close();
        redis.close();
    }

    @Test
    void afterTheFactoryResetsItsSharedConnectionTheInstanceSharesAgainWithinASecond() throws Exception {
        assertThat(instances.service(1).fetch(1).get(5, TimeUnit.SECONDS))
                .isEqualTo(instances.service(0).fetch(1).get(5, TimeUnit.SECONDS));

        instances.context(1).getBean(LettuceConnectionFactory.class).resetConnection();

        assertSharesAgainWithinASecond();
    }

    private void assertSharesAgainWithinASecond() throws Exception {
        AtomicInteger key = new AtomicInteger(100);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> {
            int fresh = key.incrementAndGet();
            String loaded = instances.service(0).fetch(fresh).get(5, TimeUnit.SECONDS);
            return instances.service(1).fetch(fresh).get(5, TimeUnit.SECONDS).equals(loaded);
        });
        Thread.sleep(1_000); // five heartbeats: the link must not go down meanwhile
        assertThat(instances.tier(1).linkUp()).isTrue();
        int executions = Upstream.executions.get();
        instances.service(1).fetch(1_000).get(5, TimeUnit.SECONDS);
        instances.service(0).fetch(1_000).get(5, TimeUnit.SECONDS);
        assertThat(Upstream.executions).as("one execution for both").hasValue(executions + 1);
    }
}
