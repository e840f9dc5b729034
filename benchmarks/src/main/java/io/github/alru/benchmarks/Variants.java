package io.github.alru.benchmarks;

import java.util.Map;
import java.util.function.Supplier;

import io.github.alru.autoconfigure.AlruAutoConfiguration;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/** Builds each Spring variant: the service as its callers get it, and what to close afterwards. */
final class Variants {

    private Variants() {
    }

    /** A variant's service and its application context (null when there is none). */
    record Built(PepService service, ConfigurableApplicationContext context) {
        void close() {
            if (context != null) {
                context.close();
            }
        }
    }

    static final Map<String, Supplier<Built>> ALL = Map.ofEntries(
            Map.entry("direct", () -> new Built(new PepService(), null)),
            Map.entry("noopProxy", Variants::noopProxy),
            Map.entry("springCacheable", () -> context(SpringCaching.class, PepService.SpringCacheable.class)),
            Map.entry("springCacheableSync", () -> context(SpringCaching.class, PepService.SpringCacheableSync.class)),
            Map.entry("springCacheableAsync", () -> context(SpringCaching.class, PepService.SpringCacheableAsync.class)),
            Map.entry("springCacheableSyncAsync", () -> context(SpringCaching.class, PepService.SpringCacheableSyncAsync.class)),
            Map.entry("alruLru", () -> context(AlruCaching.class, PepService.AlruLru.class)),
            Map.entry("alruTinyLfu", () -> context(AlruCaching.class, PepService.AlruTinyLfu.class)),
            Map.entry("alruLruWide", () -> context(AlruCaching.class, PepService.AlruLruWide.class)),
            Map.entry("alruTinyLfuWide", () -> context(AlruCaching.class, PepService.AlruTinyLfuWide.class)),
            Map.entry("alruLruAsync", () -> context(AlruCaching.class, PepService.AlruLruAsync.class)),
            Map.entry("alruTinyLfuAsync", () -> context(AlruCaching.class, PepService.AlruTinyLfuAsync.class)));

    static Built build(String variant) {
        Supplier<Built> supplier = ALL.get(variant);
        if (supplier == null) {
            throw new IllegalArgumentException("unknown variant '" + variant + "'; known: " + ALL.keySet());
        }
        return supplier.get();
    }

    /** The floor for any proxied cache: a class-based proxy whose only advice proceeds. */
    private static Built noopProxy() {
        ProxyFactory factory = new ProxyFactory(new PepService());
        factory.setProxyTargetClass(true);
        factory.addAdvice((MethodInterceptor) invocation -> invocation.proceed());
        return new Built((PepService) factory.getProxy(), null);
    }

    private static Built context(Class<?> infrastructure, Class<? extends PepService> service) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.register(infrastructure, Executors.class);
        context.registerBean("pepService", service);
        context.refresh();
        return new Built(context.getBean(PepService.class), context);
    }

    /** The executor @Async uses: 8 threads, as in the measurement of Spring's @Cacheable. */
    @Configuration(proxyBeanMethods = false)
    @EnableAsync(proxyTargetClass = true)
    static class Executors {
        @Bean
        ThreadPoolTaskExecutor taskExecutor() {
            ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
            executor.setCorePoolSize(8);
            executor.setMaxPoolSize(8);
            executor.setThreadNamePrefix("pep-");
            return executor;
        }
    }

    /** Spring's caching with Caffeine in async mode, as Spring Boot users configure it. */
    @Configuration(proxyBeanMethods = false)
    @EnableCaching(proxyTargetClass = true)
    static class SpringCaching {
        @Bean
        CacheManager cacheManager() {
            CaffeineCacheManager manager = new CaffeineCacheManager("peps");
            manager.setAsyncCacheMode(true);
            return manager;
        }
    }

    /** alru's auto-configuration, imported as Boot would. */
    @Configuration(proxyBeanMethods = false)
    @Import(AlruAutoConfiguration.class)
    static class AlruCaching {
    }
}
