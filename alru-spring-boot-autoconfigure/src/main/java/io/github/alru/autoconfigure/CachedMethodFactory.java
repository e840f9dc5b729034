package io.github.alru.autoconfigure;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

import io.github.alru.AlruCache;
import io.github.alru.AlruCacheBuilder;
import io.github.alru.AlruCacheable;
import io.github.alru.Eviction;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.PropertyResolver;

/**
 * Resolves the settings of one {@link AlruCacheable} method (the annotation, overridden by
 * {@code alru.caches.<name>.*}) and builds its cache. A bad value stops the start with an
 * {@link AlruConfigurationException} that names the method, the setting and the value.
 */
final class CachedMethodFactory {

    private final AlruProperties properties;
    private final PropertyResolver placeholders;

    CachedMethodFactory(AlruProperties properties, PropertyResolver placeholders) {
        this.properties = properties;
        this.placeholders = placeholders;
    }

    static String defaultName(String beanName, Method method) {
        return beanName + "." + method.getName();
    }

    static String nameOf(String beanName, Method method, AlruCacheable annotation) {
        return annotation.name().isEmpty() ? defaultName(beanName, method) : annotation.name();
    }

    /** Whether {@code alru.caches.<name>.enabled} leaves the method cached. */
    boolean isEnabled(String name) {
        AlruProperties.Cache overrides = properties.getCaches().get(name);
        return overrides == null || overrides.getEnabled() == null || overrides.getEnabled();
    }

    CachedMethod create(String name, Method method, ReturnKind kind, AlruCacheable annotation) {
        AlruProperties.Cache overrides = properties.getCaches().getOrDefault(name, new AlruProperties.Cache());
        AlruCacheBuilder builder = AlruCache.builder().name(name);
        Setting setting = new Setting(name, method);

        long maxSize = overrides.getMaxSize() != null ? overrides.getMaxSize() : annotation.maxSize();
        setting.apply(overrides.getMaxSize() != null ? setting.property("max-size", maxSize) : setting.attribute("maxSize", maxSize),
                () -> builder.maxSize(maxSize));

        Duration ttl = overrides.getTtl() != null ? overrides.getTtl() : parse(setting, "ttl", annotation.ttl());
        String ttlSource = overrides.getTtl() != null ? setting.property("ttl", ttl) : setting.attribute("ttl", quoted(annotation.ttl()));
        if (ttl != null) {
            setting.apply(ttlSource, () -> builder.ttl(ttl));
        }

        Duration jitter = overrides.getJitter() != null ? overrides.getJitter() : parse(setting, "jitter", annotation.jitter());
        String jitterSource = overrides.getJitter() != null
                ? setting.property("jitter", jitter) : setting.attribute("jitter", quoted(annotation.jitter()));
        if (jitter != null) {
            setting.apply(jitterSource, () -> builder.jitter(jitter));
        }

        boolean typed = overrides.getTyped() != null ? overrides.getTyped() : annotation.typed();
        Eviction eviction = overrides.getEviction() != null ? overrides.getEviction() : annotation.eviction();
        builder.typed(typed).eviction(eviction);

        AlruCache<Object, Object> cache;
        try {
            cache = builder.build();
        } catch (IllegalArgumentException e) {
            throw new AlruConfigurationException(jitterSource + " is invalid: " + e.getMessage(), e);
        }
        return new CachedMethod(name, method, kind, cache);
    }

    private Duration parse(Setting setting, String attribute, String text) {
        if (text.isEmpty()) {
            return null;
        }
        String resolved;
        try {
            resolved = placeholders.resolveRequiredPlaceholders(text).trim();
        } catch (IllegalArgumentException e) {
            throw new AlruConfigurationException(setting.attribute(attribute, quoted(text)) + " is invalid: " + e.getMessage(), e);
        }
        if (resolved.isEmpty()) {
            return null;
        }
        try {
            return DurationStyle.detectAndParse(resolved);
        } catch (IllegalArgumentException e) {
            throw new AlruConfigurationException(setting.attribute(attribute, quoted(text))
                    + " is invalid: '" + resolved + "' is not a duration such as 500ms, 10s or PT1M", e);
        }
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    /** Describes where a setting comes from, for error messages. */
    private record Setting(String cacheName, Method method) {

        String attribute(String attribute, Object value) {
            return "@AlruCacheable(" + attribute + " = " + value + ") on " + describe(method);
        }

        String property(String property, Object value) {
            return propertyName(cacheName, property) + "=" + value + " (cache of " + describe(method) + ")";
        }

        void apply(String source, Runnable setter) {
            try {
                setter.run();
            } catch (IllegalArgumentException e) {
                throw new AlruConfigurationException(source + " is invalid: " + e.getMessage(), e);
            }
        }
    }

    /** The property that configures {@code setting} of the named cache, in Boot's bracket form when needed. */
    static String propertyName(String cacheName, String setting) {
        boolean simple = cacheName.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
        return "alru.caches." + (simple ? cacheName : "[" + cacheName + "]") + "." + setting;
    }

    /** {@code declaring.Class.method(ParamType, ...)}. */
    static String describe(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName()
                + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }
}
