package io.github.alru.autoconfigure;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.alru.AlruCacheRegistry;
import io.github.alru.AlruCacheable;
import io.github.alru.AlruMethodCache;
import io.github.alru.spring.AlruCacheLifecycle;
import io.github.alru.spring.AlruCacheOverrides;
import io.github.alru.spring.AlruCacheableBeanPostProcessor;
import io.github.alru.spring.DefaultAlruCacheRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Semantics item 19: each auto-configured bean, its conditions, and backing off for a user's own. */
class AlruAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AlruAutoConfiguration.class));

    static class Lookup {
        final AtomicInteger runs = new AtomicInteger();

        @AlruCacheable(name = "lookup")
        public CompletableFuture<Integer> find(int id) {
            return completedFuture(runs.incrementAndGet());
        }
    }

    @Test
    void providesRegistryPostProcessorAndShutdownLifecycle() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(AlruCacheRegistry.class);
            assertThat(context).hasSingleBean(DefaultAlruCacheRegistry.class);
            assertThat(context).hasSingleBean(AlruCacheableBeanPostProcessor.class);
            assertThat(context).hasSingleBean(AlruCacheLifecycle.class);
            assertThat(context).hasSingleBean(AlruProperties.class);
            assertThat(context).hasSingleBean(AlruCacheOverrides.class);
        });
    }

    @Test
    void cachesAnnotatedMethodsWithoutAspectJAutoProxying() {
        runner.withBean("lookup", Lookup.class).run(context -> {
            Lookup lookup = context.getBean(Lookup.class);
            lookup.find(1);
            lookup.find(1);
            assertThat(AopUtils.isAopProxy(lookup)).isTrue();
            assertThat(context.getBean(AlruCacheRegistry.class).get("lookup").info().hits()).isEqualTo(1);
        });
    }

    @Test
    void alruEnabledFalseRunsEveryCallButKeepsTheCacheRegisteredAsOneThatKeepsNothing() {
        runner.withBean("lookup", Lookup.class).withPropertyValues("alru.enabled=false").run(context -> {
            Lookup lookup = context.getBean(Lookup.class);
            assertThat(lookup.find(1)).isCompletedWithValue(1);
            assertThat(lookup.find(1)).isCompletedWithValue(2);
            AlruMethodCache cache = context.getBean(AlruCacheRegistry.class).get("lookup");
            assertThat(cache.enabled()).isFalse();
            assertThat(cache.contains(1)).isFalse();
            assertThat(cache.invalidate(1)).isFalse();
            assertThat(cache.info().currentSize()).isZero();
            assertThat(cache.info().misses()).as("every call ran the method").isEqualTo(2);
            cache.clear(); // managing a disabled cache by name keeps working
        });
    }

    @Test
    void oneDisabledCacheKeepsNothingWhileTheOthersCache() {
        runner.withBean("lookup", Lookup.class).withBean("other", Other.class)
                .withPropertyValues("alru.caches.lookup.enabled=false").run(context -> {
                    Lookup lookup = context.getBean(Lookup.class);
                    lookup.find(1);
                    assertThat(lookup.find(1)).isCompletedWithValue(2);
                    Other other = context.getBean(Other.class);
                    other.find(1);
                    assertThat(other.find(1)).isCompletedWithValue(1);
                    AlruCacheRegistry registry = context.getBean(AlruCacheRegistry.class);
                    assertThat(registry.names()).containsExactly("lookup", "other");
                    assertThat(registry.get("lookup").enabled()).isFalse();
                    assertThat(registry.get("other").enabled()).isTrue();
                });
    }

    static class Other {
        final AtomicInteger runs = new AtomicInteger();

        @AlruCacheable(name = "other")
        public CompletableFuture<Integer> find(int id) {
            return completedFuture(runs.incrementAndGet());
        }
    }

    @Test
    void backsOffWhenSpringAopIsAbsent() {
        runner.withClassLoader(new FilteredClassLoader(ProxyFactory.class))
                .run(context -> assertThat(context).doesNotHaveBean(AlruCacheRegistry.class));
    }

    @Test
    void worksWithoutReactorOnTheClassPath() {
        runner.withClassLoader(new FilteredClassLoader("reactor.core")).withBean("lookup", Lookup.class).run(context -> {
            Lookup lookup = context.getBean(Lookup.class);
            lookup.find(1);
            assertThat(lookup.find(1)).isCompletedWithValue(1);
        });
    }

    static class CustomRegistry extends DefaultAlruCacheRegistry {
    }

    @Configuration(proxyBeanMethods = false)
    static class UserBeans {

        @Bean
        CustomRegistry customRegistry() {
            return new CustomRegistry();
        }

        @Bean
        AlruCacheLifecycle customLifecycle(CustomRegistry registry) {
            return new AlruCacheLifecycle(registry, true, Duration.ofSeconds(1));
        }

        @Bean
        AlruCacheOverrides customOverrides() {
            return AlruCacheOverrides.NONE;
        }

        @Bean
        static AlruCacheableBeanPostProcessor customPostProcessor(ObjectProvider<AlruCacheOverrides> overrides,
                ObjectProvider<AlruCacheRegistry> registry, Environment environment) {
            return new AlruCacheableBeanPostProcessor(overrides, registry, environment);
        }
    }

    @Test
    void backsOffFromTheUsersOwnBeansAndUsesThem() {
        runner.withUserConfiguration(UserBeans.class).withBean("lookup", Lookup.class)
                .withPropertyValues("alru.caches.lookup.max-size=1") // the user's overrides ignore properties
                .run(context -> {
                    assertThat(context).hasSingleBean(AlruCacheRegistry.class);
                    assertThat(context).getBean(AlruCacheRegistry.class).isInstanceOf(CustomRegistry.class);
                    assertThat(context).getBeanNames(AlruCacheLifecycle.class).containsExactly("customLifecycle");
                    assertThat(context).getBeanNames(AlruCacheOverrides.class).containsExactly("customOverrides");
                    assertThat(context).getBeanNames(AlruCacheableBeanPostProcessor.class).containsExactly("customPostProcessor");
                    assertThat(context.getBean(CustomRegistry.class).names()).containsExactly("lookup");
                    assertThat(context.getBean(CustomRegistry.class).get("lookup").info().maxSize()).isEqualTo(128);
                });
    }

    /** A registry of the user's that only reads: the default registry backs off, since the condition is on the interface. */
    static class ReadOnlyRegistry implements AlruCacheRegistry {
        @Override
        public Set<String> names() {
            return Set.of();
        }

        @Override
        public Optional<AlruMethodCache> find(String name) {
            return Optional.empty();
        }

        @Override
        public AlruMethodCache get(String name) {
            throw new IllegalArgumentException(name);
        }
    }

    @Test
    void aUsersOwnRegistryOfTheInterfaceBacksTheDefaultOff() {
        runner.withBean("userRegistry", AlruCacheRegistry.class, ReadOnlyRegistry::new).run(context -> {
            assertThat(context).hasSingleBean(AlruCacheRegistry.class);
            assertThat(context).doesNotHaveBean(DefaultAlruCacheRegistry.class);
        });
    }

    @Test
    void aRegistryThatCannotTakeCachesStopsTheStartNamingItsClass() {
        runner.withBean("userRegistry", AlruCacheRegistry.class, ReadOnlyRegistry::new).withBean("lookup", Lookup.class)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(ReadOnlyRegistry.class.getName())
                            .hasMessageContaining("ConfigurableAlruCacheRegistry");
                });
    }
}
