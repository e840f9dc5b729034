package io.github.alru;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Memoises a method that returns a {@code CompletableFuture}, a {@code CompletionStage} or a
 * reactor {@code Mono}: concurrent calls with equal arguments share one execution, and finished
 * results are kept in a cache of the method's own. Failures are never cached.
 *
 * <p>Every attribute can be overridden per cache under {@code alru.caches.<name>} by the Spring
 * Boot starter.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface AlruCacheable {

    /**
     * The cache's name, unique in the application.
     *
     * @return the name; {@code ""} means {@code "<beanName>.<methodName>"}
     */
    String name() default "";

    /**
     * The most finished entries kept.
     *
     * @return the bound; {@link AlruCache#UNBOUNDED} for none; {@code 0} caches nothing
     */
    long maxSize() default 128;

    /**
     * How long a finished entry lives, from the moment its load completes: {@code "500ms"},
     * {@code "10s"}, {@code "PT1M"}; {@code ${...}} placeholders are resolved.
     *
     * @return the time to live; {@code ""} means no expiry
     */
    String ttl() default "";

    /**
     * A random extra lifetime, uniform in [0, jitter], added to each entry's ttl. Needs a ttl.
     *
     * @return the jitter; {@code ""} means none
     */
    String jitter() default "";

    /**
     * Whether equal arguments of different runtime classes are cached apart.
     *
     * @return {@code true} to key by class as well as by value
     */
    boolean typed() default false;

    /**
     * The eviction policy.
     *
     * @return {@link Eviction#LRU} (the default) or {@link Eviction#TINY_LFU}
     */
    Eviction eviction() default Eviction.LRU;

    /**
     * Refresh-ahead (stale-while-revalidate): a finished entry older than this, counted from its
     * load's completion, is still served as a hit, and the first such hit starts one reload in the
     * background, which replaces the entry and restarts its ttl. {@code "30s"}, {@code "PT1M"};
     * {@code ${...}} placeholders are resolved. Must be shorter than the ttl when there is one.
     *
     * @return the refresh period; {@code ""} means never
     */
    String refresh() default "";

    /**
     * Where the cache lives: in this JVM, or shared by every instance of the application through
     * Redis ({@link Scope#CLUSTER}, which needs the {@code alru-redis} module beside the starter).
     *
     * @return {@link Scope#LOCAL} (the default) or {@link Scope#CLUSTER}
     */
    Scope scope() default Scope.LOCAL;
}
