package io.github.alru.autoconfigure;

import io.github.alru.AlruCacheable;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of alru: caches for {@link AlruCacheable} methods, their registry and their
 * closing on shutdown. Each bean backs off when the application defines its own.
 */
@AutoConfiguration
@ConditionalOnClass({AlruCacheable.class, ProxyFactory.class})
@EnableConfigurationProperties(AlruProperties.class)
public class AlruAutoConfiguration {

    /**
     * The registry of every alru cache in the application.
     *
     * @return an empty registry, filled as cached beans are created
     */
    @Bean
    @ConditionalOnMissingBean
    public DefaultAlruCacheRegistry alruCacheRegistry() {
        return new DefaultAlruCacheRegistry();
    }

    /**
     * The post-processor that caches {@code @AlruCacheable} methods; absent when {@code alru.enabled=false}.
     *
     * @param properties alru's settings
     * @param registry the registry caches join
     * @param environment resolves placeholders in annotation values
     * @return the post-processor
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "alru.enabled", matchIfMissing = true)
    public static AlruCacheableBeanPostProcessor alruCacheableBeanPostProcessor(ObjectProvider<AlruProperties> properties,
            ObjectProvider<DefaultAlruCacheRegistry> registry, Environment environment) {
        return new AlruCacheableBeanPostProcessor(properties, registry, environment);
    }

    /**
     * Closes the caches when the context closes, before the task executors stop.
     *
     * @param registry the caches
     * @param properties the {@code alru.shutdown} settings
     * @return the lifecycle bean
     */
    @Bean
    @ConditionalOnMissingBean
    public AlruCacheLifecycle alruCacheLifecycle(DefaultAlruCacheRegistry registry, AlruProperties properties) {
        return new AlruCacheLifecycle(registry, properties.getShutdown());
    }
}
