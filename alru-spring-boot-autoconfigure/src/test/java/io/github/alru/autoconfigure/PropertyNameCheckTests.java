package io.github.alru.autoconfigure;

import static io.github.alru.autoconfigure.StartupFailures.assertStartFailsWith;
import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.alru.AlruCacheRegistry;
import io.github.alru.AlruCacheable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.convert.ConverterNotFoundException;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Semantics item 20: every property under {@code alru.caches.} must set a known setting of an
 * existing cache, however it is written, or the start stops naming it. Binding would drop these
 * silently; the names are read from the environment's property sources.
 */
class PropertyNameCheckTests {

    static class MyService {
        @AlruCacheable
        public CompletableFuture<String> greet(String name) {
            return completedFuture("hello " + name);
        }
    }

    static class PepClient {
        @AlruCacheable(name = "pepClient")
        public CompletableFuture<String> fetch(int number) {
            return completedFuture("PEP " + number);
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AlruAutoConfiguration.class))
            .withBean("myService", MyService.class);

    private static final String BRACKETS = "a cache name that contains dots must be written in brackets, as"
            + " alru.caches.[myService.greet].ttl (in YAML: alru.caches.\"[myService.greet]\".ttl)";

    private static ApplicationContextRunner withSource(ApplicationContextRunner runner, PropertySource<?> source) {
        return runner.withInitializer((ConfigurableApplicationContext context) ->
                context.getEnvironment().getPropertySources().addFirst(source));
    }

    @Test
    void dottedNameWithoutBracketsInPropertiesStopsTheStartShowingTheBracketForm() {
        assertStartFailsWith(runner.withPropertyValues("alru.caches.myService.greet.ttl=1s"),
                "alru.caches.myService.greet.ttl configures nothing: " + BRACKETS);
    }

    @Test
    void dottedNameWithoutBracketsAsAYamlKeyStopsTheStartNamingTheFileAndLine() throws IOException {
        PropertySource<?> yaml = new YamlPropertySourceLoader().load("yaml", new ClassPathResource("alru-dotted-name.yml")).get(0);
        assertStartFailsWith(withSource(runner, yaml),
                "alru.caches.myService.greet.ttl configures nothing: " + BRACKETS, "alru-dotted-name.yml", "4:12");
    }

    @Test
    void dottedNameWithoutBracketsOnTheCommandLineStopsTheStart() {
        assertStartFailsWith(withSource(runner, new SimpleCommandLinePropertySource("--alru.caches.myService.greet.ttl=1s")),
                "alru.caches.myService.greet.ttl configures nothing: " + BRACKETS);
    }

    @Test
    void theBracketFormConfiguresTheCache() {
        runner.withPropertyValues("alru.caches.[myService.greet].ttl=1s", "alru.caches.[myService.greet].max-size=7")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(AlruCacheRegistry.class).get("myService.greet").info().maxSize()).isEqualTo(7);
                });
    }

    @Test
    void anUnknownSettingOfAnExistingCacheStopsTheStartListingTheSettings() {
        assertStartFailsWith(runner.withPropertyValues("alru.caches.[myService.greet].tll=1s"),
                "alru.caches.[myService.greet].tll is not a setting of alru cache 'myService.greet'",
                "[enabled, eviction, jitter, max-size, refresh, scope, ttl, typed]");
    }

    @Test
    void aPropertyThatNamesACacheButNoSettingStopsTheStartAsBootsBinderReportsIt() {
        runner.withPropertyValues("alru.caches.[myService.greet]=1s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(ConverterNotFoundException.class);
            assertThat(context.getStartupFailure()).hasStackTraceContaining("Failed to bind properties under 'alru.caches[myService.greet]'");
        });
    }

    @Test
    void everyBadPropertyIsNamedAtOnce() {
        assertStartFailsWith(runner.withPropertyValues("alru.caches.myService.greet.ttl=1s", "alru.caches.nope.ttl=1s"),
                "alru.caches.myService.greet.ttl configures nothing", "alru.caches.nope.ttl configures a cache that does not exist",
                "(2 properties)");
    }

    @Test
    void everyKnownSettingIsAppliedToTheCache() {
        runner.withPropertyValues("alru.caches.[myService.greet].scope=local", "alru.caches.[myService.greet].refresh=30s",
                "alru.caches.[myService.greet].ttl=1m", "alru.caches.[myService.greet].eviction=tiny-lfu",
                "alru.caches.[myService.greet].typed=true").run(context -> {
                    assertThat(context).hasNotFailed();
                    var settings = context.getBean(AlruCacheRegistry.class).get("myService.greet").settings();
                    assertThat(settings.refresh()).isEqualTo(java.time.Duration.ofSeconds(30));
                    assertThat(settings.ttl()).isEqualTo(java.time.Duration.ofMinutes(1));
                    assertThat(settings.eviction()).isEqualTo(io.github.alru.Eviction.TINY_LFU);
                    assertThat(settings.typed()).isTrue();
                });
    }

    @Test
    void aClusterScopeWithoutTheClusterTierStopsTheStartSayingWhatToAdd() {
        assertStartFailsWith(runner.withPropertyValues("alru.caches.[myService.greet].scope=cluster"),
                "alru cache 'myService.greet' of " + MyService.class.getName() + ".greet(String) is CLUSTER"
                        + " (alru.caches.[myService.greet].scope=CLUSTER) and needs the cluster tier, which is missing:"
                        + " add io.github.alru:alru-redis beside the starter"
                        + " and a Redis connection");
    }

    @Test
    void anEnvironmentVariableForACamelCaseNameSaysWhyItCannotMatch() {
        ApplicationContextRunner pep = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AlruAutoConfiguration.class)).withBean("pep", PepClient.class);
        assertStartFailsWith(withSource(pep, new SystemEnvironmentPropertySource("systemEnvironment",
                        Map.of("ALRU_CACHES_PEPCLIENT_TTL", "1s"))),
                "alru.caches.pepclient.ttl configures a cache that does not exist", "but 'pepClient' is",
                "cache names are case-sensitive", "an environment variable cannot carry upper-case letters",
                "ALRU_CACHES_PEPCLIENT_TTL");
    }

    @Test
    void aLazyBeansCacheMayBeConfiguredBeforeTheBeanExists() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AlruAutoConfiguration.class))
                .withBean("pep", PepClient.class, PepClient::new, definition -> definition.setLazyInit(true))
                .withPropertyValues("alru.caches.pepClient.max-size=3")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(AlruCacheRegistry.class).names()).isEmpty();
                    context.getBean(PepClient.class);
                    assertThat(context.getBean(AlruCacheRegistry.class).get("pepClient").info().maxSize()).isEqualTo(3);
                });
    }
}
