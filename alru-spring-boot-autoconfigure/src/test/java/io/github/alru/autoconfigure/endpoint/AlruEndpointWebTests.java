package io.github.alru.autoconfigure.endpoint;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.github.alru.AlruCache;
import io.github.alru.AlruCacheInfo;
import io.github.alru.AlruCacheRegistry;
import io.github.alru.AlruCacheable;
import io.github.alru.Eviction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.SecurityFilterChain;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Semantics item 22 over real HTTP: what {@code /actuator/alru} shows, and clearing through it. */
@SpringBootTest(classes = AlruEndpointWebTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "management.endpoints.web.exposure.include=alru")
class AlruEndpointWebTests {

    static final String SECRET_KEY = "SECRET-KEY-7";
    static final String SECRET_VALUE = "SECRET-VALUE-42";

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        Catalog catalog() {
            return new Catalog();
        }

        @Bean
        SecurityFilterChain openActuator(HttpSecurity http) throws Exception {
            return http.securityMatcher("/actuator/**")
                    .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                    .csrf(AbstractHttpConfigurer::disable)
                    .build();
        }
    }

    static class Catalog {

        @AlruCacheable(ttl = "10s", jitter = "2s", maxSize = AlruCache.UNBOUNDED, eviction = Eviction.TINY_LFU)
        public CompletableFuture<String> price(String sku, int quantity) {
            return completedFuture(SECRET_VALUE);
        }

        @AlruCacheable
        public CompletionStage<String> label(String sku) {
            return completedFuture(SECRET_VALUE + ":" + sku);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Catalog catalog;

    @Autowired
    AlruCacheRegistry registry;

    /** price: 1 miss, 2 hits, 1 entry. label: 2 misses, 1 hit, 2 entries. */
    @BeforeEach
    void callTheCachedMethods() {
        registry.names().forEach(name -> registry.get(name).clear());
        catalog.price(SECRET_KEY, 3).join();
        catalog.price(SECRET_KEY, 3).join();
        catalog.price(SECRET_KEY, 3).join();
        catalog.label(SECRET_KEY).toCompletableFuture().join();
        catalog.label(SECRET_KEY).toCompletableFuture().join();
        catalog.label("plain").toCompletableFuture().join();
        assertThat(registry.get("catalog.price").info()).isEqualTo(new AlruCacheInfo(2, 1, -1, 1));
        assertThat(registry.get("catalog.label").info()).isEqualTo(new AlruCacheInfo(1, 2, 128, 2));
    }

    @Test
    void getListsEveryCacheSortedByNameWithStatisticsAndSettings() throws Exception {
        HttpResponse<String> response = send("GET", "/actuator/alru");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/vnd.spring-boot.actuator.v3+json"));
        JsonNode body = JsonMapper.shared().readTree(response.body());
        assertThat(body.propertyNames()).containsExactly("caches");
        assertThat(body.get("caches").propertyNames()).containsExactly("catalog.label", "catalog.price");
        assertPrice(body.get("caches").get("catalog.price"));
        assertLabel(body.get("caches").get("catalog.label"));
    }

    @Test
    void getByNameShowsThatCacheOnlyEvenWhenItsNameHasDots() throws Exception {
        HttpResponse<String> response = send("GET", "/actuator/alru/catalog.price");

        assertThat(response.statusCode()).isEqualTo(200);
        assertPrice(JsonMapper.shared().readTree(response.body()));
        assertLabel(JsonMapper.shared().readTree(send("GET", "/actuator/alru/catalog.label").body()));
    }

    @Test
    void responsesNeverContainCachedKeysOrValues() throws Exception {
        for (String path : new String[] {"/actuator/alru", "/actuator/alru/catalog.price", "/actuator/alru/catalog.label"}) {
            HttpResponse<String> response = send("GET", path);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"currentSize\"").doesNotContain(SECRET_KEY).doesNotContain(SECRET_VALUE);
        }
    }

    @Test
    void getUnknownCacheIsNotFound() throws Exception {
        assertThat(send("GET", "/actuator/alru/catalog.nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void deleteByNameClearsThatCacheOnlyAndAnswersNoContent() throws Exception {
        HttpResponse<String> response = send("DELETE", "/actuator/alru/catalog.price");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(registry.get("catalog.price").info()).isEqualTo(new AlruCacheInfo(0, 0, -1, 0));
        assertThat(registry.get("catalog.price").contains(SECRET_KEY, 3)).isFalse();
        assertThat(registry.get("catalog.label").info()).isEqualTo(new AlruCacheInfo(1, 2, 128, 2));
        JsonNode price = JsonMapper.shared().readTree(send("GET", "/actuator/alru/catalog.price").body());
        assertThat(price.get("currentSize").longValue()).isZero();
        assertThat(price.get("hits").longValue()).isZero();
        assertThat(price.get("misses").longValue()).isZero();
        assertThat(price.get("hitRatio").doubleValue()).isZero();
    }

    @Test
    void deleteUnknownCacheIsNotFoundAndClearsNothing() throws Exception {
        assertThat(send("DELETE", "/actuator/alru/catalog.nothing").statusCode()).isEqualTo(404);

        assertThat(registry.get("catalog.price").info()).isEqualTo(new AlruCacheInfo(2, 1, -1, 1));
        assertThat(registry.get("catalog.label").info()).isEqualTo(new AlruCacheInfo(1, 2, 128, 2));
    }

    @Test
    void deleteAllClearsEveryCacheAndAnswersNoContent() throws Exception {
        HttpResponse<String> response = send("DELETE", "/actuator/alru");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(registry.get("catalog.price").info()).isEqualTo(new AlruCacheInfo(0, 0, -1, 0));
        assertThat(registry.get("catalog.label").info()).isEqualTo(new AlruCacheInfo(0, 0, 128, 0));
        JsonNode caches = JsonMapper.shared().readTree(send("GET", "/actuator/alru").body()).get("caches");
        assertThat(caches.propertyNames()).containsExactly("catalog.label", "catalog.price");
        for (JsonNode cache : caches) {
            assertThat(cache.get("currentSize").longValue()).isZero();
            assertThat(cache.get("hits").longValue()).isZero();
            assertThat(cache.get("misses").longValue()).isZero();
        }
    }

    private static void assertPrice(JsonNode price) {
        assertThat(price.propertyNames()).containsExactlyInAnyOrder("name", "method", "enabled", "hits", "misses", "hitRatio",
                "maxSize", "currentSize", "inFlight", "closed", "typed", "eviction", "ttl", "jitter", "scope", "refresh");
        assertThat(price.get("name").stringValue()).isEqualTo("catalog.price");
        assertThat(price.get("method").stringValue()).isEqualTo(Catalog.class.getName() + ".price(String, int)");
        assertThat(price.get("enabled").booleanValue()).isTrue();
        assertThat(price.get("hits").isIntegralNumber()).isTrue();
        assertThat(price.get("hits").longValue()).isEqualTo(2);
        assertThat(price.get("misses").longValue()).isEqualTo(1);
        assertThat(price.get("hitRatio").doubleValue()).isEqualTo(2.0 / 3.0);
        assertThat(price.get("maxSize").longValue()).isEqualTo(-1);
        assertThat(price.get("currentSize").longValue()).isEqualTo(1);
        assertThat(price.get("inFlight").intValue()).isZero();
        assertThat(price.get("closed").isBoolean()).isTrue();
        assertThat(price.get("closed").booleanValue()).isFalse();
        assertThat(price.get("typed").booleanValue()).isFalse();
        assertThat(price.get("eviction").stringValue()).isEqualTo("TINY_LFU");
        assertThat(price.get("ttl").stringValue()).isEqualTo("PT10S");
        assertThat(price.get("jitter").stringValue()).isEqualTo("PT2S");
        assertThat(price.get("scope").stringValue()).isEqualTo("LOCAL");
        assertThat(price.get("refresh").isNull()).isTrue();
    }

    private static void assertLabel(JsonNode label) {
        assertThat(label.get("name").stringValue()).isEqualTo("catalog.label");
        assertThat(label.get("method").stringValue()).isEqualTo(Catalog.class.getName() + ".label(String)");
        assertThat(label.get("hits").longValue()).isEqualTo(1);
        assertThat(label.get("misses").longValue()).isEqualTo(2);
        assertThat(label.get("hitRatio").doubleValue()).isEqualTo(1.0 / 3.0);
        assertThat(label.get("maxSize").longValue()).isEqualTo(128);
        assertThat(label.get("currentSize").longValue()).isEqualTo(2);
        assertThat(label.get("eviction").stringValue()).isEqualTo("LRU");
        // present and null, not left out
        assertThat(label.has("ttl")).isTrue();
        assertThat(label.get("ttl").isNull()).isTrue();
        assertThat(label.has("jitter")).isTrue();
        assertThat(label.get("jitter").isNull()).isTrue();
    }

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return LocalHttp.send(port, method, path);
    }
}
