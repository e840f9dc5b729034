package io.github.alru.autoconfigure;

import io.github.alru.AlruCacheRegistry;
import io.github.alru.AlruCacheable;
import io.github.alru.spring.AlruCacheLifecycle;
import io.github.alru.spring.AlruCacheOverrides;
import io.github.alru.spring.AlruCacheableBeanPostProcessor;
import io.github.alru.spring.DefaultAlruCacheRegistry;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of alru: caches for {@link AlruCacheable} methods, their registry, their
 * settings from {@code alru.*} properties and their closing on shutdown. Each bean backs off when
 * the application defines its own.
 */
@AutoConfiguration
@ConditionalOnClass({AlruCacheable.class, ProxyFactory.class})
@EnableConfigurationProperties(AlruProperties.class)
public class AlruAutoConfiguration {

    /** Creates an AlruAutoConfiguration. */
    public AlruAutoConfiguration() {
    }

    /**
     * The registry of every alru cache in the application.
     *
     * @return an empty registry, filled as cached beans are created
     */
    @Bean
    @ConditionalOnMissingBean(AlruCacheRegistry.class)
    public DefaultAlruCacheRegistry alruCacheRegistry() {
        return new DefaultAlruCacheRegistry();
    }

    /**
     * The {@code alru.enabled} and {@code alru.caches.<name>.*} settings, which override annotations.
     *
     * @param properties alru's settings
     * @param environment where the property names are checked
     * @return the overrides
     */
    @Bean
    @ConditionalOnMissingBean
    public AlruCacheOverrides alruCacheOverrides(AlruProperties properties, ConfigurableEnvironment environment) {
        return new PropertiesCacheOverrides(properties, environment);
    }

    /**
     * The post-processor that caches {@code @AlruCacheable} methods.
     *
     * @param overrides the settings that override annotations
     * @param registry the registry caches join
     * @param environment resolves placeholders in annotation values
     * @return the post-processor
     */
    @Bean
    @ConditionalOnMissingBean
    public static AlruCacheableBeanPostProcessor alruCacheableBeanPostProcessor(ObjectProvider<AlruCacheOverrides> overrides,
            ObjectProvider<AlruCacheRegistry> registry, Environment environment) {
        return new AlruCacheableBeanPostProcessor(overrides, registry, environment);
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
    public AlruCacheLifecycle alruCacheLifecycle(AlruCacheRegistry registry, AlruProperties properties) {
        return new AlruCacheLifecycle(registry, properties.getShutdown().isWait(), properties.getShutdown().getTimeout());
    }
}
