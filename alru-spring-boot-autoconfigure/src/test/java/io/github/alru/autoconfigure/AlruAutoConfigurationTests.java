package io.github.alru.autoconfigure;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.alru.AlruCacheRegistry;
import io.github.alru.AlruCacheable;
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

/** Contract item 19: each auto-configured bean, its conditions, and backing off for a user's own. */
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
    void alruEnabledFalseRunsEveryCallAndCreatesNoCache() {
        runner.withBean("lookup", Lookup.class).withPropertyValues("alru.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(AlruCacheableBeanPostProcessor.class);
            Lookup lookup = context.getBean(Lookup.class);
            assertThat(lookup.find(1)).isCompletedWithValue(1);
            assertThat(lookup.find(1)).isCompletedWithValue(2);
            assertThat(context.getBean(AlruCacheRegistry.class).names()).isEmpty();
        });
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
            return new AlruCacheLifecycle(registry, new AlruProperties.Shutdown());
        }

        @Bean
        static AlruCacheableBeanPostProcessor customPostProcessor(ObjectProvider<AlruProperties> properties,
                ObjectProvider<DefaultAlruCacheRegistry> registry, Environment environment) {
            return new AlruCacheableBeanPostProcessor(properties, registry, environment);
        }
    }

    @Test
    void backsOffFromTheUsersOwnBeansAndUsesThem() {
        runner.withUserConfiguration(UserBeans.class).withBean("lookup", Lookup.class).run(context -> {
            assertThat(context).hasSingleBean(DefaultAlruCacheRegistry.class);
            assertThat(context).getBean(DefaultAlruCacheRegistry.class).isInstanceOf(CustomRegistry.class);
            assertThat(context).getBeanNames(AlruCacheLifecycle.class).containsExactly("customLifecycle");
            assertThat(context).getBeanNames(AlruCacheableBeanPostProcessor.class).containsExactly("customPostProcessor");
            assertThat(context.getBean(CustomRegistry.class).names()).containsExactly("lookup");
        });
    }
}
