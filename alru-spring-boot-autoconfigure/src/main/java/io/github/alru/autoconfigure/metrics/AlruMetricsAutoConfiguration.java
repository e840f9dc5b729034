package io.github.alru.autoconfigure.metrics;

import io.github.alru.AlruCacheRegistry;
import io.github.alru.autoconfigure.AlruAutoConfiguration;
import io.github.alru.spring.metrics.AlruCacheMetrics;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for every alru cache, when Micrometer is present; Spring Boot binds the
 * {@link AlruCacheMetrics} to each {@code MeterRegistry}. Off with {@code alru.metrics.enabled=false}.
 */
@AutoConfiguration(after = AlruAutoConfiguration.class)
@ConditionalOnClass(CacheMeterBinder.class)
@ConditionalOnBean(AlruCacheRegistry.class)
@ConditionalOnBooleanProperty(name = "alru.metrics.enabled", matchIfMissing = true)
public class AlruMetricsAutoConfiguration {

    /** Creates an AlruMetricsAutoConfiguration. */
    public AlruMetricsAutoConfiguration() {
    }

    /**
     * The binder of alru's cache meters.
     *
     * @param registry the caches
     * @return the binder
     */
    @Bean
    @ConditionalOnMissingBean
    public AlruCacheMetrics alruCacheMetrics(AlruCacheRegistry registry) {
        return new AlruCacheMetrics(registry);
    }
}
