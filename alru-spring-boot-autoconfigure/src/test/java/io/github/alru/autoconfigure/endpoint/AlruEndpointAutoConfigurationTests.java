package io.github.alru.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;

import io.github.alru.AlruCacheable;
import io.github.alru.autoconfigure.AlruAutoConfiguration;
import io.github.alru.spring.DefaultAlruCacheRegistry;
import io.github.alru.spring.endpoint.AlruEndpoint;
import io.github.alru.spring.endpoint.AlruEndpointWebExtension;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Semantics item 22: when the endpoint bean and its web extension exist, like Boot's own endpoints. */
class AlruEndpointAutoConfigurationTests {

    // SpringApplication's conversion service, so that access values are written as users write them ("read-only")
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(context -> context.getEnvironment().setConversionService(new ApplicationConversionService()))
            .withConfiguration(AutoConfigurations.of(AlruAutoConfiguration.class, AlruEndpointAutoConfiguration.class));

    private final ApplicationContextRunner exposed = runner.withPropertyValues("management.endpoints.web.exposure.include=alru");

    @Test
    void exposedOnTheWebProvidesTheEndpointAndItsWebExtension() {
        exposed.run(context -> {
            assertThat(context).hasSingleBean(AlruEndpoint.class);
            assertThat(context).hasSingleBean(AlruEndpointWebExtension.class);
        });
    }

    @Test
    void notExposedProvidesNoEndpoint() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(DefaultAlruCacheRegistry.class);
            assertThat(context).doesNotHaveBean(AlruEndpoint.class);
            assertThat(context).doesNotHaveBean(AlruEndpointWebExtension.class);
        });
    }

    @Test
    void accessNoneProvidesNoEndpointEvenWhenExposed() {
        exposed.withPropertyValues("management.endpoint.alru.access=none").run(context -> {
            assertThat(context).doesNotHaveBean(AlruEndpoint.class);
            assertThat(context).doesNotHaveBean(AlruEndpointWebExtension.class);
        });
    }

    @Test
    void deprecatedEnabledFalseProvidesNoEndpointEvenWhenExposed() {
        exposed.withPropertyValues("management.endpoint.alru.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(AlruEndpoint.class));
    }

    @Test
    void readOnlyAccessKeepsTheEndpoint() {
        exposed.withPropertyValues("management.endpoint.alru.access=read-only")
                .run(context -> assertThat(context).hasSingleBean(AlruEndpoint.class));
    }

    @Test
    void defaultAccessNoneWithAlruAccessReadOnlyProvidesTheEndpoint() {
        exposed.withPropertyValues("management.endpoints.access.default=none", "management.endpoint.alru.access=read-only")
                .run(context -> assertThat(context).hasSingleBean(AlruEndpoint.class));
    }

    @Test
    void exposedOnJmxOnlyProvidesTheEndpointWithoutTheWebExtension() {
        runner.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=alru").run(context -> {
            assertThat(context).hasSingleBean(AlruEndpoint.class);
            assertThat(context).doesNotHaveBean(AlruEndpointWebExtension.class);
        });
    }

    @Test
    void backsOffWithoutAlrusRegistry() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AlruEndpointAutoConfiguration.class))
                .withPropertyValues("management.endpoints.web.exposure.include=alru")
                .run(context -> assertThat(context).doesNotHaveBean(AlruEndpoint.class));
    }

    @Test
    void backsOffWithoutTheActuatorOnTheClassPath() {
        exposed.withClassLoader(new FilteredClassLoader(Endpoint.class)).run(context -> {
            assertThat(context).hasSingleBean(DefaultAlruCacheRegistry.class);
            assertThat(context).doesNotHaveBean(AlruEndpoint.class);
        });
    }

    @Test
    void backsOffForTheApplicationsOwnEndpointAndExtension() {
        exposed.withBean("myEndpoint", AlruEndpoint.class, () -> new AlruEndpoint(new DefaultAlruCacheRegistry()))
                .withBean("myExtension", AlruEndpointWebExtension.class,
                        () -> new AlruEndpointWebExtension(new AlruEndpoint(new DefaultAlruCacheRegistry())))
                .run(context -> {
                    assertThat(context).hasSingleBean(AlruEndpoint.class).hasBean("myEndpoint");
                    assertThat(context).hasSingleBean(AlruEndpointWebExtension.class).hasBean("myExtension");
                });
    }

    static class Lookups {
        @AlruCacheable(name = "lookups.off", maxSize = 50, ttl = "5s")
        public CompletableFuture<String> off(int id) {
            return CompletableFuture.completedFuture("x");
        }
    }

    @Test
    void aDisabledCacheIsListedAsOneThatKeepsNothing() {
        exposed.withBean("lookups", Lookups.class).withPropertyValues("alru.caches.[lookups.off].enabled=false").run(context -> {
            context.getBean(Lookups.class).off(1);
            AlruEndpoint.CacheDescriptor off = context.getBean(AlruEndpoint.class).cache("lookups.off");
            assertThat(off).isNotNull();
            assertThat(off.enabled()).isFalse();
            assertThat(off.maxSize()).isZero();
            assertThat(off.currentSize()).isZero();
            assertThat(off.misses()).isEqualTo(1);
            assertThat(off.ttl()).hasValue("PT5S");
            assertThat(context.getBean(AlruEndpoint.class).caches().caches()).containsKey("lookups.off");
        });
    }
}
