package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.alru.autoconfigure.cluster.ClusterInstances.Color;
import io.github.alru.autoconfigure.cluster.ClusterInstances.Upstream;
import io.github.alru.testsupport.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Semantics items 25, 31 and 32 across JVMs: an instance in a JVM of its own and one in this JVM
 * share keys and values, for arguments whose order or hash codes differ from one JVM to the other
 * (sets of strings and of enum constants), and invalidations reach across.
 */
class ClusterAcrossJvmsTests {

    static TestRedis redis;
    static SeparateJvmInstance other;
    static ClusterInstances here;

    @BeforeAll
    static void start() throws Exception {
        redis = TestRedis.start();
        other = SeparateJvmInstance.start(redis);
        here = new ClusterInstances(redis, 1);
    }

    @AfterAll
    static void stop() throws Exception {
        here.close();
        other.close();
        redis.close();
    }

    @BeforeEach
    void resetUpstream() {
        Upstream.reset();
        Upstream.latency = Duration.ofMillis(5);
    }

    @Test
    void aValueLoadedInAnotherJvmIsServedHereWithoutRunningTheMethod() throws Exception {
        String loaded = other.ask("fetch 42");
        assertThat(here.service(0).fetch(42).get(5, TimeUnit.SECONDS)).isEqualTo(loaded);
        assertThat(Upstream.executions).as("this JVM ran nothing").hasValue(0);
    }

    @Test
    void aSetOfStringsInAnotherOrderInAnotherJvmIsTheSameKey() throws Exception {
        String loaded = other.ask("tags zeta,alpha,mu,beta");
        LinkedHashSet<String> reordered = new LinkedHashSet<>(List.of("beta", "mu", "alpha", "zeta"));
        assertThat(here.service(0).byTags(reordered).get(5, TimeUnit.SECONDS)).isEqualTo(loaded);
        assertThat(Upstream.executions).hasValue(0);
    }

    @Test
    void aSetOfEnumConstantsIsTheSameKeyInEveryJvmWhateverItsHashOrder() throws Exception {
        String loaded = other.ask("colors WHITE,RED,BLUE,YELLOW");
        assertThat(loaded).contains("in JVM").doesNotContain("in JVM " + ProcessHandle.current().pid() + ")");
        assertThat(here.service(0).byColors(EnumSet.of(Color.RED, Color.BLUE, Color.YELLOW, Color.WHITE)).get(5, TimeUnit.SECONDS))
                .isEqualTo(loaded);
        assertThat(Upstream.executions).hasValue(0);
    }

    @Test
    void anInvalidationHereReachesTheOtherJvm() throws Exception {
        String loaded = other.ask("fetch 43");
        assertThat(here.service(0).fetch(43).get(5, TimeUnit.SECONDS)).isEqualTo(loaded);

        here.registry(0).get("peps").invalidate(43);

        await().atMost(Duration.ofSeconds(1)).until(() -> other.ask("contains peps 43").equals("false"));
        assertThat(other.ask("fetch 43")).isNotEqualTo(loaded);
    }
}
