package io.github.alru.spring;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.alru.AlruCache;
import io.github.alru.AlruCacheBuilder;
import io.github.alru.AlruCacheSettings;
import io.github.alru.AlruCacheable;
import io.github.alru.Eviction;
import io.github.alru.Scope;
import io.github.alru.cluster.ClusterCacheSpec;
import io.github.alru.cluster.ClusterTier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.PropertyResolver;

/**
 * Resolves the settings of one {@link AlruCacheable} method (the annotation, overridden by
 * {@link AlruCacheOverrides}) and builds its cache. A bad value stops the start with an
 * {@link AlruConfigurationException} that names the method, the setting that is wrong, where it is
 * written and its value.
 */
final class MethodCacheFactory {

    private final AlruCacheOverrides overrides;
    private final PropertyResolver placeholders;
    private final Supplier<@Nullable ClusterTier> clusterTier;

    MethodCacheFactory(AlruCacheOverrides overrides, PropertyResolver placeholders, Supplier<@Nullable ClusterTier> clusterTier) {
        this.overrides = overrides;
        this.placeholders = placeholders;
        this.clusterTier = clusterTier;
    }

    static String nameOf(String beanName, Method method, AlruCacheable annotation) {
        return annotation.name().isEmpty() ? beanName + "." + method.getName() : annotation.name();
    }

    /** A resolved setting: its value, where it is written ({@code @AlruCacheable(ttl = "1s")}), and that with the method. */
    private record Resolved<T>(@Nullable T value, String where, String source) {
    }

    MethodCache create(String name, Method method, ReturnKind kind, AlruCacheable annotation) {
        CacheOverride override;
        try {
            override = overrides.forCache(name);
        } catch (AlruConfigurationException e) {
            throw new AlruConfigurationException("alru cache '" + name + "' of " + MethodDescriptions.describe(method) + ": "
                    + e.getMessage(), e);
        }
        Sources sources = new Sources(name, method);

        Resolved<Long> maxSize = override.maxSize() != null
                ? sources.property("max-size", override.maxSize())
                : sources.attribute("maxSize", annotation.maxSize(), annotation.maxSize());
        Resolved<Duration> ttl = override.ttl() != null
                ? sources.property("ttl", override.ttl())
                : sources.attribute("ttl", quoted(annotation.ttl()), parse(sources, "ttl", annotation.ttl()));
        Resolved<Duration> jitter = override.jitter() != null
                ? sources.property("jitter", override.jitter())
                : sources.attribute("jitter", quoted(annotation.jitter()), parse(sources, "jitter", annotation.jitter()));
        Resolved<Duration> refresh = override.refresh() != null
                ? sources.property("refresh", override.refresh())
                : sources.attribute("refresh", quoted(annotation.refresh()), parse(sources, "refresh", annotation.refresh()));
        boolean typed = override.typed() != null ? override.typed() : annotation.typed();
        Eviction eviction = override.eviction() != null ? override.eviction() : annotation.eviction();
        boolean enabled = overrides.cachingEnabled() && !Boolean.FALSE.equals(override.enabled());
        Resolved<Scope> scope = override.scope() != null
                ? sources.property("scope", override.scope())
                : sources.attribute("scope", annotation.scope(), annotation.scope());

        AlruCacheBuilder builder = AlruCache.builder().name(name).typed(typed).eviction(eviction);
        apply(maxSize, () -> builder.maxSize(maxSize.value()));
        if (ttl.value() != null) {
            apply(ttl, () -> builder.ttl(ttl.value()));
        }
        if (jitter.value() != null) {
            apply(jitter, () -> builder.jitter(jitter.value()));
            if (ttl.value() == null) {
                throw new AlruConfigurationException(jitter.source() + " is invalid: a jitter needs a ttl, and neither"
                        + " @AlruCacheable(ttl = ...) nor " + overrides.source(name, "ttl") + " sets one");
            }
        }
        if (refresh.value() != null) {
            apply(refresh, () -> builder.refreshAfter(refresh.value()));
        }
        if (!enabled) {
            builder.maxSize(0); // a disabled cache keeps nothing: every call runs the method
        }
        MethodCache cache;
        try {
            cache = new MethodCache(name, method, kind.keyArgumentCount(method), builder.build(), enabled, scope.value());
        } catch (IllegalArgumentException e) {
            // A combination the builder refuses: name every setting involved rather than guess at one.
            String settings = Stream.of(maxSize, ttl, jitter, refresh).filter(setting -> setting.value() != null)
                    .map(Resolved::where).collect(Collectors.joining(", "));
            throw new AlruConfigurationException("the settings of alru cache '" + name + "' of "
                    + MethodDescriptions.describe(method) + " do not fit together (" + settings + "): " + e.getMessage(), e);
        }
        if (scope.value() == Scope.CLUSTER && enabled) {
            ClusterTier tier = clusterTier.get();
            if (tier == null) {
                throw new AlruConfigurationException("alru cache '" + name + "' of " + MethodDescriptions.describe(method)
                        + " is CLUSTER (" + scope.where() + ") and needs the cluster tier, which is missing: add"
                        + " io.github.alru:alru-redis beside the starter and a Redis connection (spring.data.redis.*,"
                        + " a RedisConnectionFactory bean on Lettuce), or make the cache local");
            }
            AlruCacheSettings built = cache.settings();
            try {
                cache.joined(tier.join(new ClusterCacheSpec(name, ResultTypes.of(method, kind),
                        Arrays.copyOf(method.getGenericParameterTypes(), kind.keyArgumentCount(method)),
                        built.ttl(), built.jitter(), built.typed(), built.refresh(), cache)));
            } catch (IllegalStateException e) {
                throw new AlruConfigurationException("alru cache '" + name + "' of " + MethodDescriptions.describe(method)
                        + " is CLUSTER (" + scope.where() + ") and cannot join the cluster tier: " + e.getMessage());
            }
        }
        return cache;
    }

    private static void apply(Resolved<?> setting, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalArgumentException e) {
            throw new AlruConfigurationException(setting.source() + " is invalid: " + e.getMessage(), e);
        }
    }

    private @Nullable Duration parse(Sources sources, String attribute, String text) {
        if (text.isEmpty()) {
            return null;
        }
        String resolved;
        try {
            resolved = placeholders.resolveRequiredPlaceholders(text).trim();
        } catch (IllegalArgumentException e) {
            throw new AlruConfigurationException(sources.attribute(attribute, quoted(text)) + " is invalid: " + e.getMessage(), e);
        }
        if (resolved.isEmpty()) {
            return null;
        }
        if (Durations.isUnitless(resolved)) {
            throw new AlruConfigurationException(sources.attribute(attribute, quoted(text)) + " is invalid: "
                    + Durations.unitlessProblem(resolved));
        }
        try {
            return DurationStyle.detectAndParse(resolved);
        } catch (IllegalArgumentException e) {
            throw new AlruConfigurationException(sources.attribute(attribute, quoted(text))
                    + " is invalid: '" + resolved + "' is not a duration such as 500ms, 10s or PT1M", e);
        }
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    /** Describes where a setting of one method's cache comes from, for error messages. */
    private final class Sources {
        private final String cacheName;
        private final String method;

        Sources(String cacheName, Method method) {
            this.cacheName = cacheName;
            this.method = MethodDescriptions.describe(method);
        }

        <T> Resolved<T> attribute(String attribute, Object written, @Nullable T value) {
            String where = "@AlruCacheable(" + attribute + " = " + written + ")";
            return new Resolved<>(value, where, where + " on " + method);
        }

        String attribute(String attribute, Object written) {
            return "@AlruCacheable(" + attribute + " = " + written + ") on " + method;
        }

        <T> Resolved<T> property(String setting, T value) {
            String where = overrides.source(cacheName, setting) + "=" + value;
            return new Resolved<>(value, where, where + " (cache of " + method + ")");
        }
    }
}
