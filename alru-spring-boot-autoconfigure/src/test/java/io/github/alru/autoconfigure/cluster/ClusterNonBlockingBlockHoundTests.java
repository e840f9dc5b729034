package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.github.alru.autoconfigure.cluster.ClusterInstances.Upstream;
import io.github.alru.testsupport.TestRedis;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Semantics items 17 and 34 for CLUSTER caches: a call on a thread that must never block (Reactor's
 * parallel scheduler, Lettuce's event loop) never blocks it, not even for the first Redis round
 * trip of a miss, nor for a hit that starts a refresh. BlockHound fails any blocking call on those
 * threads; it instruments the whole JVM, so this class runs in a fork of its own.
 */
class ClusterNonBlockingBlockHoundTests {

    static TestRedis redis;
    static ClusterInstances instances;

    @BeforeAll
    static void installBlockHoundAndStart() throws Exception {
        BlockHound.install();
        redis = TestRedis.start();
        instances = new ClusterInstances(redis, 2);
    }

    @AfterAll
    static void stop() {
        instances.close();
        redis.close();
    }

    @BeforeEach
    void resetUpstream() {
        Upstream.reset();
        Upstream.latency = Duration.ofMillis(20);
    }

    @Test
    void blockHoundIsWatchingTheParallelScheduler() {
        Mono<String> sleeping = Mono.fromCallable(() -> {
            Thread.sleep(1);
            return "slept";
        }).subscribeOn(Schedulers.parallel());

        assertThat(sleeping.onErrorResume(error -> Mono.just(error.getClass().getSimpleName())).block())
                .isEqualTo("BlockingOperationError");
    }

    @Test
    void aCompletableFutureMissCalledOnTheParallelSchedulerNeverBlocksItAndIsShared() {
        String value = Mono.fromCallable(() -> instances.service(0).fetch(1)).subscribeOn(Schedulers.parallel())
                .flatMap(Mono::fromFuture).block(Duration.ofSeconds(5));

        assertThat(value).isEqualTo("PEP 1 (run 1)");
        assertThat(instances.service(1).fetch(1).join()).as("shared as from any thread").isEqualTo(value);
        assertThat(instances.registry(0).get("peps").clusterStats().orElseThrow().errors()).isZero();
    }

    @Test
    void aMonoMissSubscribedOnTheParallelSchedulerNeverBlocksIt() {
        String value = instances.service(0).mono(2).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(5));

        assertThat(value).isEqualTo("mono PEP 2 (run 1)");
        assertThat(instances.service(1).mono(2).block(Duration.ofSeconds(5))).isEqualTo(value);
    }

    @Test
    void aCompletableFutureMissCalledOnLettucesEventLoopNeverBlocksItAndIsShared() {
        ReactiveStringRedisTemplate redisTemplate = instances.context(0).getBean(ReactiveStringRedisTemplate.class);
        AtomicReference<Thread> calledOn = new AtomicReference<>();

        String value = redisTemplate.opsForValue().get("nothing-here").defaultIfEmpty("").flatMap(ignored -> {
            calledOn.set(Thread.currentThread());
            return Mono.fromFuture(instances.service(0).fetch(3));
        }).block(Duration.ofSeconds(5));

        assertThat(calledOn.get()).as("the call ran on a Netty event loop").isInstanceOf(FastThreadLocalThread.class);
        assertThat(value).isEqualTo("PEP 3 (run 1)");
        assertThat(instances.service(1).fetch(3).join()).isEqualTo(value);
        assertThat(instances.registry(0).get("peps").clusterStats().orElseThrow().errors()).isZero();
    }

    @Test
    void aHitThatStartsARefreshOnTheParallelSchedulerReturnsWithoutBlocking() throws Exception {
        String first = instances.service(0).refreshed(4).join();
        Thread.sleep(400); // past the 300ms refresh period

        String hit = Mono.fromCallable(() -> instances.service(0).refreshed(4)).subscribeOn(Schedulers.parallel())
                .flatMap(Mono::fromFuture).block(Duration.ofSeconds(5));

        assertThat(hit).as("the stale value, at once").isEqualTo(first);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(3))
                .until(() -> instances.service(0).refreshed(4).join().contains("run 2"));
    }
}
