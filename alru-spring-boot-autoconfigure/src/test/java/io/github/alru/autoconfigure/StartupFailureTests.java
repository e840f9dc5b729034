package io.github.alru.autoconfigure;

import static io.github.alru.autoconfigure.StartupFailures.assertStartFailsWith;
import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import io.github.alru.AlruCacheable;
import io.github.alru.Scope;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

/**
 * Semantics items 13, 16, 18 and 20: a bad method or setting stops the start, and the message names
 * the class, the method, the setting and the value.
 */
class StartupFailureTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, AlruAutoConfiguration.class));

    static class NotAsync {
        @AlruCacheable
        public String plain(int number) {
            return "x";
        }
    }

    static class PlainFuture {
        @AlruCacheable
        public Future<String> future() {
            return completedFuture("x");
        }
    }

    static class NegativeMaxSize {
        @AlruCacheable(maxSize = -5)
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("x");
        }
    }

    static class UnparsableTtl {
        @AlruCacheable(ttl = "ten seconds")
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("x");
        }
    }

    static class ZeroTtl {
        @AlruCacheable(ttl = "0s")
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("x");
        }
    }

    static class JitterWithoutTtl {
        @AlruCacheable(jitter = "2s")
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("x");
        }
    }

    static class MissingPlaceholder {
        @AlruCacheable(ttl = "${no.such.property}")
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("x");
        }
    }

    static class Valid {
        @AlruCacheable(name = "valid")
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("x");
        }
    }

    static class Overloads {
        @AlruCacheable
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("x");
        }

        @AlruCacheable
        public CompletableFuture<String> fetch(String name) {
            return completedFuture("x");
        }
    }

    static class SameNameA {
        @AlruCacheable(name = "shared")
        public CompletableFuture<String> a() {
            return completedFuture("a");
        }
    }

    static class SameNameB {
        @AlruCacheable(name = "shared")
        public CompletableFuture<String> b() {
            return completedFuture("b");
        }
    }

    @Test
    void methodReturningAPlainValueStopsTheStartNamingClassMethodAndSupportedTypes() {
        assertStartFailsWith(runner.withBean("bean", NotAsync.class),
                NotAsync.class.getName(), "plain(int)", "returns java.lang.String",
                "CompletableFuture<T>", "CompletionStage<T>", "Mono<T>");
    }

    @Test
    void methodReturningAFutureThatIsNoCompletionStageIsRejected() {
        assertStartFailsWith(runner.withBean("bean", PlainFuture.class), "future()", "returns java.util.concurrent.Future");
    }

    @Test
    void negativeMaxSizeInTheAnnotationNamesMethodAndValue() {
        assertStartFailsWith(runner.withBean("bean", NegativeMaxSize.class),
                "@AlruCacheable(maxSize = -5)", "NegativeMaxSize.fetch(int)", "was: -5");
    }

    @Test
    void unparsableTtlNamesMethodAttributeAndText() {
        assertStartFailsWith(runner.withBean("bean", UnparsableTtl.class),
                "@AlruCacheable(ttl = \"ten seconds\")", "UnparsableTtl.fetch(int)", "not a duration");
    }

    @Test
    void zeroTtlIsRejectedAsNotPositive() {
        assertStartFailsWith(runner.withBean("bean", ZeroTtl.class), "@AlruCacheable(ttl = \"0s\")", "ttl must be positive");
    }

    @Test
    void jitterWithoutTtlIsRejected() {
        assertStartFailsWith(runner.withBean("bean", JitterWithoutTtl.class),
                "@AlruCacheable(jitter = \"2s\")", "JitterWithoutTtl.fetch(int)", "needs a ttl");
    }

    @Test
    void unresolvablePlaceholderInTheAnnotationIsReported() {
        assertStartFailsWith(runner.withBean("bean", MissingPlaceholder.class), "${no.such.property}", "MissingPlaceholder.fetch(int)");
    }

    @Test
    void badMaxSizePropertyNamesThePropertyAndValue() {
        assertStartFailsWith(runner.withBean("bean", Valid.class).withPropertyValues("alru.caches.valid.max-size=-3"),
                "alru.caches.valid.max-size=-3", "Valid.fetch(int)", "was: -3");
    }

    @Test
    void nonPositiveTtlPropertyNamesThePropertyInBracketFormForDottedNames() {
        assertStartFailsWith(runner.withBean("bean", NegativeMaxSize.class)
                        .withPropertyValues("alru.caches.[bean.fetch].max-size=10", "alru.caches.[bean.fetch].ttl=0s"),
                "alru.caches.[bean.fetch].ttl=PT0S", "ttl must be positive");
    }

    @Test
    void jitterPropertyWithoutTtlIsRejected() {
        assertStartFailsWith(runner.withBean("bean", Valid.class).withPropertyValues("alru.caches.valid.jitter=1s"),
                "alru.caches.valid.jitter=PT1S", "needs a ttl");
    }

    @Test
    void unknownCacheNameUnderAlruCachesStopsTheStart() {
        assertStartFailsWith(runner.withBean("bean", Valid.class).withPropertyValues("alru.caches.valdi.ttl=10s"),
                "alru.caches.valdi.ttl configures a cache that does not exist", "no @AlruCacheable method is named 'valdi'",
                "the caches are [valid]");
    }

    @Test
    void ttlTooLongToCountIsBlamedOnTheTtlNotTheJitter() {
        assertStartFailsWith(runner.withBean("bean", Valid.class).withPropertyValues("alru.caches.valid.ttl=106752d"),
                "alru.caches.valid.ttl=PT2562048H (cache of " + Valid.class.getName() + ".fetch(int)) is invalid",
                "ttl is too long");
    }

    static class HugeTtl {
        @AlruCacheable(ttl = "106752d")
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("x");
        }
    }

    @Test
    void ttlTooLongInTheAnnotationNamesTheTtlAttribute() {
        assertStartFailsWith(runner.withBean("bean", HugeTtl.class),
                "@AlruCacheable(ttl = \"106752d\") on " + HugeTtl.class.getName() + ".fetch(int) is invalid", "ttl is too long");
    }

    @Test
    void jitterWithoutTtlNamesBothSettings() {
        assertStartFailsWith(runner.withBean("bean", JitterWithoutTtl.class),
                "@AlruCacheable(jitter = \"2s\") on " + JitterWithoutTtl.class.getName() + ".fetch(int) is invalid",
                "a jitter needs a ttl", "neither @AlruCacheable(ttl = ...) nor alru.caches.[bean.fetch].ttl sets one");
    }

    @Test
    void unnamedOverloadsStopTheStartNamingBoth() {
        assertStartFailsWith(runner.withBean("bean", Overloads.class),
                "'bean.fetch' is used by two methods", "Overloads.fetch(int)", "Overloads.fetch(String)", "distinct names");
    }

    @Test
    void duplicateNamesAcrossBeansStopTheStartNamingBoth() {
        assertStartFailsWith(runner.withBean("a", SameNameA.class).withBean("b", SameNameB.class),
                "'shared' is used by two methods", "SameNameA.a()", "SameNameB.b()");
    }

    @Configuration(proxyBeanMethods = false)
    static class ValidConfiguration {
        @Bean
        Valid valid() {
            return new Valid();
        }
    }

    @Test
    void validConfigurationStarts() {
        runner.withUserConfiguration(ValidConfiguration.class).withPropertyValues("alru.caches.valid.ttl=10s")
                .run(context -> assertThat(context).hasNotFailed());
    }

    static class ClusterWithoutTier {
        @AlruCacheable(scope = Scope.CLUSTER)
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("x");
        }
    }

    @Test
    void aClusterCacheWithoutTheClusterTierStopsTheStartNamingTheCacheAndWhatToAdd() {
        assertStartFailsWith(runner.withBean("bean", ClusterWithoutTier.class),
                "alru cache 'bean.fetch' of " + ClusterWithoutTier.class.getName()
                        + ".fetch(int) is CLUSTER (@AlruCacheable(scope = CLUSTER)) and needs the cluster tier",
                "add io.github.alru:alru-redis beside the starter and a Redis connection (spring.data.redis.*");
    }

    static class RefreshNotShorterThanTtl {
        @AlruCacheable(ttl = "10s", refresh = "10s")
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("x");
        }
    }

    @Test
    void aRefreshNotShorterThanTheTtlStopsTheStartNamingBothSettings() {
        assertStartFailsWith(runner.withBean("bean", RefreshNotShorterThanTtl.class),
                "the settings of alru cache 'bean.fetch' of " + RefreshNotShorterThanTtl.class.getName() + ".fetch(int)"
                        + " do not fit together (@AlruCacheable(maxSize = 128), @AlruCacheable(ttl = \"10s\"),"
                        + " @AlruCacheable(refresh = \"10s\")): refreshAfter (PT10S) must be shorter than the ttl (PT10S)");
    }

    @Test
    void aRefreshPropertyThatIsNotPositiveNamesTheProperty() {
        assertStartFailsWith(runner.withBean("bean", Valid.class).withPropertyValues("alru.caches.valid.refresh=0s"),
                "alru.caches.valid.refresh=PT0S (cache of " + Valid.class.getName() + ".fetch(int)) is invalid",
                "refreshAfter must be positive");
    }

    static class UnitlessTtl {
        @AlruCacheable(ttl = "5")
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("x");
        }
    }

    static class UnitlessJitterPlaceholder {
        @AlruCacheable(ttl = "10s", jitter = "${my.jitter}")
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("x");
        }
    }

    @Test
    void aTtlWithoutAUnitInTheAnnotationStopsTheStartSuggestingTheUnits() {
        assertStartFailsWith(runner.withBean("bean", UnitlessTtl.class),
                "@AlruCacheable(ttl = \"5\") on " + UnitlessTtl.class.getName() + ".fetch(int) is invalid: '5' has no unit:"
                        + " write 5s, or 5ms");
    }

    @Test
    void aJitterPlaceholderThatResolvesToABareNumberStopsTheStart() {
        assertStartFailsWith(runner.withBean("bean", UnitlessJitterPlaceholder.class).withPropertyValues("my.jitter=2"),
                "@AlruCacheable(jitter = \"${my.jitter}\") on " + UnitlessJitterPlaceholder.class.getName() + ".fetch(int)",
                "'2' has no unit: write 2s, or 2ms");
    }

    @Test
    void aRefreshPropertyWithoutAUnitStopsTheStartNamingThePropertyAndTheMethod() {
        assertStartFailsWith(runner.withBean("bean", Valid.class).withPropertyValues("alru.caches.valid.ttl=1m", "alru.caches.valid.refresh=3"),
                "alru cache 'valid' of " + Valid.class.getName() + ".fetch(int): alru.caches.valid.refresh=3 is invalid:"
                        + " '3' has no unit: write 3s, or 3ms");
    }

    @Test
    void aTtlWrittenAsAYamlNumberStopsTheStart() {
        // YAML's "ttl: 5" reaches the environment as the Integer 5, which Boot would bind as 5 ms.
        assertStartFailsWith(runner.withBean("bean", Valid.class).withInitializer(context -> context.getEnvironment()
                        .getPropertySources().addFirst(new MapPropertySource("application.yml", Map.of("alru.caches.valid.ttl", 5)))),
                "alru.caches.valid.ttl=5 is invalid: '5' has no unit: write 5s, or 5ms");
    }

    @Test
    void durationsWithAUnitStillStart() {
        runner.withUserConfiguration(ValidConfiguration.class)
                .withPropertyValues("alru.caches.valid.ttl=500ms", "alru.caches.valid.jitter=PT1S", "alru.caches.valid.refresh=100ms")
                .run(context -> assertThat(context).hasNotFailed());
    }
}
