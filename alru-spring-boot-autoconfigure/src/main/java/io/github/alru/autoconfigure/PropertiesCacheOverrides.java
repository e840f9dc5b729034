package io.github.alru.autoconfigure;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.github.alru.spring.AlruCacheOverrides;
import io.github.alru.spring.AlruConfigurationException;
import io.github.alru.spring.CacheOverride;
import io.github.alru.spring.Durations;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The overrides that {@code alru.enabled} and {@code alru.caches.<name>.*} set. Binding drops a
 * property it cannot place (a dotted cache name written without brackets binds nothing), so the
 * names are also read, unbound, from every configuration property source of the environment: any
 * property under {@code alru.caches} that does not set a known setting of an existing cache stops
 * the start.
 */
final class PropertiesCacheOverrides implements AlruCacheOverrides {

    private static final ConfigurationPropertyName CACHES = ConfigurationPropertyName.of("alru.caches");

    /** The settings, in dashed form, by their uniform form (as relaxed binding compares them). */
    private static final Map<String, String> SETTINGS = Map.of("maxsize", "max-size", "ttl", "ttl", "jitter", "jitter",
            "eviction", "eviction", "typed", "typed", "enabled", "enabled", "refresh", "refresh", "scope", "scope");

    /** The settings that are durations, in dashed form. */
    private static final List<String> DURATIONS = List.of("ttl", "jitter", "refresh");

    private final AlruProperties properties;
    private final ConfigurableEnvironment environment;

    PropertiesCacheOverrides(AlruProperties properties, ConfigurableEnvironment environment) {
        this.properties = properties;
        this.environment = environment;
    }

    @Override
    public boolean cachingEnabled() {
        return properties.isEnabled();
    }

    @Override
    public CacheOverride forCache(String cacheName) {
        DURATIONS.forEach(setting -> checkUnit(cacheName, setting));
        AlruProperties.Cache cache = properties.getCaches().get(cacheName);
        return cache == null ? CacheOverride.NONE : new CacheOverride(cache.getMaxSize(), cache.getTtl(), cache.getJitter(),
                cache.getEviction(), cache.getTyped(), cache.getEnabled(), cache.getScope(), cache.getRefresh());
    }

    /**
     * Refuses a duration setting written as a bare number: bound, it would mean milliseconds. The
     * raw value is read as the binder reads it, from the first property source that has it.
     */
    private void checkUnit(String cacheName, String setting) {
        String written = propertyName(cacheName, setting);
        ConfigurationPropertyName name = ConfigurationPropertyName.of(written);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty property = source.getConfigurationProperty(name);
            if (property == null) {
                continue;
            }
            Object value = property.getValue();
            String text = value instanceof String string ? environment.resolvePlaceholders(string) : String.valueOf(value);
            if ((value instanceof Number || value instanceof String) && Durations.isUnitless(text)) {
                throw new AlruConfigurationException(written + "=" + text.trim() + " is invalid: " + Durations.unitlessProblem(text)
                        + origin(property));
            }
            return;
        }
    }

    @Override
    public String source(String cacheName, String setting) {
        return propertyName(cacheName, setting);
    }

    /** The property that configures {@code setting} of the named cache, in Boot's bracket form when needed. */
    static String propertyName(String cacheName, String setting) {
        boolean simple = cacheName.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
        return "alru.caches." + (simple ? cacheName : "[" + cacheName + "]") + "." + setting;
    }

    @Override
    public void checkCacheNames(Set<String> cacheNames) {
        Set<String> problems = new TreeSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.filter(CACHES::isAncestorOf).stream().forEach(name -> {
                    ConfigurationProperty property = iterable.getConfigurationProperty(name);
                    String problem = problem(name, cacheNames);
                    if (problem != null) {
                        problems.add(problem + origin(property));
                    }
                });
            }
        }
        if (!problems.isEmpty()) {
            throw new AlruConfigurationException(String.join("; ", problems) + (problems.size() > 1 ? " (" + problems.size()
                    + " properties)" : ""));
        }
    }

    /** What is wrong with one property under {@code alru.caches}, or {@code null} if it sets a known setting of an existing cache. */
    private static @Nullable String problem(ConfigurationPropertyName name, Set<String> cacheNames) {
        int elements = name.getNumberOfElements();
        String written = written(name);
        String known = " (the caches are " + new TreeSet<>(cacheNames) + ")";
        if (elements == 3) {
            return written + " sets no setting: write alru.caches.<cache name>.<setting>, where the setting is one of "
                    + new TreeSet<>(SETTINGS.values());
        }
        String cacheName = name.getElement(2, Form.ORIGINAL);
        String setting = name.getElement(elements - 1, Form.UNIFORM);
        if (elements == 4) {
            if (!cacheNames.contains(cacheName)) {
                return written + " configures a cache that does not exist: no @AlruCacheable method is named '" + cacheName
                        + "'" + sameIgnoringCase(cacheName, cacheNames) + known;
            }
            String dashed = SETTINGS.get(setting);
            if (dashed == null) {
                return written + " is not a setting of alru cache '" + cacheName + "': the settings are "
                        + new TreeSet<>(SETTINGS.values());
            }
            return null;
        }
        String dotted = IntStream.range(2, elements - 1).mapToObj(i -> name.getElement(i, Form.ORIGINAL))
                .collect(Collectors.joining("."));
        if (cacheNames.contains(dotted) || cacheNames.stream().anyMatch(dotted::equalsIgnoreCase)) {
            String cache = cacheNames.contains(dotted) ? dotted
                    : cacheNames.stream().filter(dotted::equalsIgnoreCase).findFirst().orElse(dotted);
            String last = name.getElement(elements - 1, Form.ORIGINAL);
            return written + " configures nothing: a cache name that contains dots must be written in brackets, as "
                    + "alru.caches.[" + cache + "]." + last + " (in YAML: alru.caches.\"[" + cache + "]\"." + last + ")";
        }
        if (cacheNames.contains(cacheName)) {
            return written + " is not a setting of alru cache '" + cacheName + "': the settings are "
                    + new TreeSet<>(SETTINGS.values());
        }
        return written + " configures a cache that does not exist: no @AlruCacheable method is named '" + dotted + "'" + known;
    }

    private static String sameIgnoringCase(String cacheName, Set<String> cacheNames) {
        List<String> similar = cacheNames.stream().filter(cacheName::equalsIgnoreCase).toList();
        if (similar.isEmpty()) {
            return "";
        }
        String cache = similar.get(0);
        return ", but '" + cache + "' is: cache names are case-sensitive; write " + propertyName(cache, "<setting>")
                + (cacheName.equals(cacheName.toLowerCase(Locale.ROOT))
                        ? " (an environment variable cannot carry upper-case letters or dots: set it in a properties or YAML file, or in SPRING_APPLICATION_JSON)"
                        : "");
    }

    /** The property's name as written, with brackets around elements that contain dots. */
    private static String written(ConfigurationPropertyName name) {
        return IntStream.range(0, name.getNumberOfElements()).mapToObj(i -> {
            String element = name.getElement(i, Form.ORIGINAL);
            return element.contains(".") ? "[" + element + "]" : element;
        }).collect(Collectors.joining("."));
    }

    private static String origin(@Nullable ConfigurationProperty property) {
        return property != null && property.getOrigin() != null ? " (from " + property.getOrigin() + ")" : "";
    }
}
