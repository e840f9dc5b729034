package io.github.alru.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The IDE metadata the configuration processor writes: every per-cache setting completes, with a description. */
class ConfigurationMetadataTests {

    private static JsonNode alruMetadata() throws IOException {
        for (Resource resource : new PathMatchingResourcePatternResolver()
                .getResources("classpath*:META-INF/spring-configuration-metadata.json")) {
            try (InputStream in = resource.getInputStream()) {
                JsonNode metadata = JsonMapper.shared().readTree(in);
                for (JsonNode property : metadata.get("properties")) {
                    if (property.get("name").stringValue().equals("alru.enabled")) {
                        return metadata;
                    }
                }
            }
        }
        throw new AssertionError("no metadata declares alru.enabled");
    }

    @Test
    void everyPerCacheSettingHasAnEntryWithADescription() throws IOException {
        List<String> described = new ArrayList<>();
        for (JsonNode property : alruMetadata().get("properties")) {
            if (property.has("description") && !property.get("description").stringValue().isBlank()) {
                described.add(property.get("name").stringValue());
            }
        }
        assertThat(described).contains("alru.enabled", "alru.caches", "alru.caches.*.max-size", "alru.caches.*.ttl",
                "alru.caches.*.jitter", "alru.caches.*.eviction", "alru.caches.*.typed", "alru.caches.*.enabled", "alru.caches.*.scope", "alru.caches.*.refresh",
                "alru.cluster.key-prefix", "alru.cluster.lease", "alru.cluster.wait", "alru.cluster.redis-timeout", "alru.cluster.startup-timeout",
                "alru.shutdown.wait", "alru.shutdown.timeout", "alru.metrics.enabled");
    }

    private static List<String> hintedValues(String property) throws IOException {
        List<String> values = new ArrayList<>();
        for (JsonNode hint : alruMetadata().get("hints")) {
            if (hint.get("name").stringValue().equals(property)) {
                hint.get("values").forEach(value -> values.add(value.get("value").stringValue()));
            }
        }
        return values;
    }

    @Test
    void evictionAndScopeHaveValueHintsInTheFormUsersWrite() throws IOException {
        assertThat(hintedValues("alru.caches.*.eviction")).containsExactly("lru", "tiny-lfu");
        assertThat(hintedValues("alru.caches.*.scope")).containsExactly("local", "cluster");
    }
}
