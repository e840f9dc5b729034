package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.github.alru.testsupport.TestRedis;
import io.github.alru.autoconfigure.cluster.ClusterInstances.PepService;
import io.github.alru.autoconfigure.cluster.ClusterInstances.Upstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Semantics item 24, "from the first call": instances are called the moment each has started, as a
 * deployment calls them, with no wait for any internal state. The start itself waits for the link.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClusterFromTheFirstCallTests {

    private static final AtomicInteger prefixes = new AtomicInteger();

    static TestRedis redis;
    final List<ConfigurableApplicationContext> started = new ArrayList<>();
    final ExecutorService callers = Executors.newFixedThreadPool(60);
    String prefix;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = TestRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void freshPrefixAndUpstream() {
        Upstream.reset();
        prefix = "first-call-" + prefixes.incrementAndGet(); // nothing of an earlier test is in Redis under it
    }

    @AfterEach
    void stopInstances() {
        callers.shutdownNow();
        started.forEach(ConfigurableApplicationContext::close);
    }

    private PepService startInstance(String... properties) {
        List<String> all = new ArrayList<>(List.of("alru.cluster.key-prefix=" + prefix));
        all.addAll(List.of(properties));
        ConfigurableApplicationContext context = ClusterInstances.start(redis, all.toArray(String[]::new));
        started.add(context);
        return context.getBean(PepService.class);
    }

    @Test
    void aValueLoadedOnOneInstanceRightAfterItStartedIsServedToAnotherThatJustStarted() {
        PepService first = startInstance();
        assertThat(first.fetch(8).join()).isEqualTo("PEP 8 (run 1)");

        PepService second = startInstance();
        assertThat(second.fetch(8).join()).isEqualTo("PEP 8 (run 1)");
        assertThat(Upstream.executions).as("the second instance read the first one's value from Redis").hasValue(1);
    }

    @Test
    void twentyColdCallsOnEachOfThreeJustStartedInstancesRunTheMethodOnce() throws Exception {
        List<PepService> services = List.of(startInstance(), startInstance(), startInstance());
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<CompletableFuture<String>>> submitted = new ArrayList<>();
        for (PepService service : services) {
            for (int t = 0; t < 20; t++) {
                submitted.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return service.fetch(20);
                }, callers));
            }
        }
        go.countDown();

        Set<String> values = submitted.stream().map(CompletableFuture::join)
                .map(future -> future.orTimeout(20, TimeUnit.SECONDS).join()).collect(Collectors.toSet());
        assertThat(values).containsExactly("PEP 20 (run 1)");
        assertThat(Upstream.executions).hasValue(1);
    }

    @Test
    void anInvalidateAndAClearRightAfterTheStartReachTheOtherInstances() {
        PepService first = startInstance();
        PepService second = startInstance();
        first.fetch(1).join();
        first.fetch(2).join();
        second.fetch(1).join();
        second.fetch(2).join();
        assertThat(Upstream.executions).hasValue(2);

        started.get(0).getBean(io.github.alru.AlruCacheRegistry.class).get("peps").invalidate(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !registryOf(1).get("peps").contains(1));
        assertThat(second.fetch(1).join()).as("reloaded once the invalidation reached it").isEqualTo("PEP 1 (run 3)");

        registryOf(1).get("peps").clear();
        await().atMost(Duration.ofSeconds(5)).until(() -> !registryOf(0).get("peps").contains(2));
        assertThat(first.fetch(2).join()).isEqualTo("PEP 2 (run 4)");
    }

    private io.github.alru.AlruCacheRegistry registryOf(int instance) {
        return started.get(instance).getBean(io.github.alru.AlruCacheRegistry.class);
    }

    @Test
    void anUnreachableRedisDelaysTheStartByTheStartupTimeoutOnlyAndIsWarnedAboutOnce(CapturedOutput output) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        long startNanos = System.nanoTime();
        PepService service = startInstance("spring.data.redis.port=" + closedPort, "alru.cluster.startup-timeout=1s");
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);

        assertThat(took).as("the start waited for the link, then gave up").isBetween(Duration.ofSeconds(1), Duration.ofSeconds(10));
        String warning = "alru cluster: Redis at 127.0.0.1:" + closedPort
                + " could not be reached within alru.cluster.startup-timeout (1s); starting with the link down";
        assertThat(output.getOut().split(java.util.regex.Pattern.quote(warning), -1)).as("one warning").hasSize(2);
        assertThat(service.fetch(5).join()).as("the cache answers from this instance alone").isEqualTo("PEP 5 (run 1)");
    }
}
