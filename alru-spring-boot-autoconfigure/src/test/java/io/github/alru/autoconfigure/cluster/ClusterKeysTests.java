package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.alru.autoconfigure.cluster.ClusterInstances.Query;
import io.github.alru.autoconfigure.cluster.ClusterInstances.Upstream;
import io.github.alru.testsupport.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Semantics items 12, 25, 27 and 32: the Redis key follows {@code equals}, not the accident of how
 * JSON writes an argument. Equal sets iterated in another order (as {@code Set.of} or a
 * {@code HashSet} of enums are in another JVM) make one key; arguments whose JSON leaves out
 * part of what makes them equal never share a key, and are served as LOCAL calls.
 */
class ClusterKeysTests {

    static TestRedis redis;
    static ClusterInstances instances;

    @BeforeAll
    static void startRedisAndInstances() throws Exception {
        redis = TestRedis.start();
        instances = new ClusterInstances(redis, 2);
    }

    @AfterAll
    static void stopInstancesAndRedis() {
        instances.close();
        redis.close();
    }

    @BeforeEach
    void resetUpstream() {
        Upstream.reset();
        Upstream.latency = Duration.ofMillis(10);
    }

    private static LinkedHashSet<String> inOrder(String... tags) {
        return new LinkedHashSet<>(List.of(tags));
    }

    @Test
    void equalSetsIteratedInAnotherOrderOnAnotherInstanceShareOneValue() throws Exception {
        String loaded = instances.service(0).byTags(inOrder("pep", "zen", "style")).get(5, TimeUnit.SECONDS);

        assertThat(instances.service(1).byTags(inOrder("style", "zen", "pep")).get(5, TimeUnit.SECONDS)).isEqualTo(loaded);
        assertThat(Upstream.executions).hasValue(1);
    }

    @Test
    void anInvalidateWithTheSetInAnotherOrderRemovesTheCopyInRedisAndOnEveryInstance() throws Exception {
        String loaded = instances.service(0).byTags(inOrder("a", "b")).get(5, TimeUnit.SECONDS);
        assertThat(instances.service(1).byTags(inOrder("a", "b")).get(5, TimeUnit.SECONDS)).isEqualTo(loaded);

        instances.registry(0).get("byTags").invalidate(inOrder("b", "a"));

        await().atMost(Duration.ofSeconds(1)).until(() -> !instances.registry(1).get("byTags").contains(inOrder("a", "b")));
        assertThat(instances.service(1).byTags(inOrder("a", "b")).get(5, TimeUnit.SECONDS)).as("not read back from Redis")
                .isNotEqualTo(loaded);
    }

    @Test
    void argumentsWhoseJsonLeavesOutWhatMakesThemUnequalNeverShareAValue() throws Exception {
        String first = instances.service(0).byQuery(new Query(1, "tenant A")).get(5, TimeUnit.SECONDS);
        String second = instances.service(1).byQuery(new Query(1, "tenant B")).get(5, TimeUnit.SECONDS);

        assertThat(first).startsWith("query 1 of tenant A");
        assertThat(second).as("not tenant A's value").startsWith("query 1 of tenant B");
        assertThat(instances.service(0).byQuery(new Query(1, "tenant A")).get(5, TimeUnit.SECONDS)).as("kept here")
                .isEqualTo(first);
        assertThat(Upstream.executions).hasValue(2);
    }
}
