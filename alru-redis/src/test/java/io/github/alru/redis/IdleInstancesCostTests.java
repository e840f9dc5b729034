package io.github.alru.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.alru.testsupport.TestRedis;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * What idle instances cost Redis (review D10): N links, each an instance's (its own connections,
 * heartbeat and subscription), on one real Redis, counted by Redis ({@code total_commands_processed})
 * and by the links (messages delivered to them). Both grow as N, not N²: per instance and per
 * second they stay the same from 1 to 100 instances. The figures go to
 * {@code target/idle-instances-cost.txt}.
 */
class IdleInstancesCostTests {

    private static final Duration HEARTBEAT = Duration.ofMillis(200); // the default
    private static final Duration WINDOW = Duration.ofSeconds(3);

    static TestRedis redis;
    static ClientResources resources;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = TestRedis.start();
        resources = DefaultClientResources.create();
    }

    @AfterAll
    static void stopRedis() {
        resources.shutdown();
        redis.close();
    }

    /** Commands Redis ran and messages it delivered, per second, for N idle instances. */
    record Cost(int instances, double commandsPerSecond, double deliveriesPerSecond) {
        double commandsPerInstance() {
            return commandsPerSecond / instances;
        }

        double deliveriesPerInstance() {
            return deliveriesPerSecond / instances;
        }
    }

    @Test
    void idleInstancesCostRedisCommandsAndDeliveriesThatGrowLinearlyWithTheirNumber() throws Exception {
        Map<Integer, Cost> costs = new LinkedHashMap<>();
        for (int n : new int[] {1, 10, 100}) {
            costs.put(n, measure(n));
        }

        StringBuilder table = new StringBuilder("| idle instances | Redis commands/s | pub/sub deliveries/s | commands/s per instance"
                + " | deliveries/s per instance |\n|---:|---:|---:|---:|---:|\n");
        costs.values().forEach(cost -> table.append(String.format("| %d | %.0f | %.0f | %.1f | %.1f |%n", cost.instances(),
                cost.commandsPerSecond(), cost.deliveriesPerSecond(), cost.commandsPerInstance(), cost.deliveriesPerInstance())));
        Files.writeString(Path.of("target", "idle-instances-cost.txt"), table);
        System.out.println(table);

        double beat = 1_000.0 / HEARTBEAT.toMillis();
        for (Cost cost : costs.values()) {
            // a heartbeat is two commands (PUBLISH on its own channel, SET of its liveness key) and one delivery
            assertThat(cost.commandsPerInstance()).as("commands/s per instance at N=" + cost.instances()).isBetween(1.5 * beat, 3 * beat);
            assertThat(cost.deliveriesPerInstance()).as("deliveries/s per instance at N=" + cost.instances())
                    .isBetween(0.7 * beat, 1.5 * beat);
        }
    }

    private Cost measure(int count) throws Exception {
        List<Link> links = new ArrayList<>();
        List<LettuceConnectionFactory> factories = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1",
                        redis.port()), LettuceClientConfiguration.builder().clientResources(resources).build());
                factory.afterPropertiesSet();
                factory.start();
                factories.add(factory);
                Link link = new Link(factory, JsonMapper.builder().build(), new ClusterSettings("cost", Duration.ofSeconds(30),
                        Duration.ofSeconds(30), Duration.ofSeconds(1), HEARTBEAT));
                links.add(link);
                link.start();
            }
            for (Link link : links) {
                assertThat(link.awaitFirstUp(Duration.ofSeconds(30))).isTrue();
            }
            long commandsBefore = commandsProcessed();
            long deliveredBefore = links.stream().mapToLong(Link::received).sum();
            long began = System.nanoTime();
            Thread.sleep(WINDOW.toMillis());
            long commands = commandsProcessed() - commandsBefore - 1; // less the INFO that reads the count
            long delivered = links.stream().mapToLong(Link::received).sum() - deliveredBefore;
            double seconds = (System.nanoTime() - began) / 1e9;
            return new Cost(count, commands / seconds, delivered / seconds);
        } finally {
            links.forEach(Link::close);
            factories.forEach(LettuceConnectionFactory::destroy);
        }
    }

    private static long commandsProcessed() throws IOException {
        for (String line : redis.text("INFO", "stats").split("\r?\n")) {
            if (line.startsWith("total_commands_processed:")) {
                return Long.parseLong(line.substring("total_commands_processed:".length()).trim());
            }
        }
        throw new IllegalStateException("INFO stats has no total_commands_processed");
    }
}
