package io.github.alru.autoconfigure.endpoint;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

import io.github.alru.AlruCacheRegistry;
import io.github.alru.AlruCacheable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.SecurityFilterChain;

/** Contract item 22, access: {@code management.endpoint.alru.access=read-only} keeps reads and drops the deletes. */
@SpringBootTest(classes = AlruEndpointReadOnlyAccessTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"management.endpoints.web.exposure.include=alru", "management.endpoint.alru.access=read-only"})
class AlruEndpointReadOnlyAccessTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        Inventory inventory() {
            return new Inventory();
        }

        @Bean
        SecurityFilterChain openActuator(HttpSecurity http) throws Exception {
            return http.securityMatcher("/actuator/**")
                    .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                    .csrf(AbstractHttpConfigurer::disable)
                    .build();
        }
    }

    static class Inventory {

        @AlruCacheable
        public CompletableFuture<Integer> stock(String sku) {
            return completedFuture(sku.length());
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Inventory inventory;

    @Autowired
    AlruCacheRegistry registry;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void readOnlyAccessStillAnswersReads() throws Exception {
        assertThat(send("GET", "/actuator/alru").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/actuator/alru/inventory.stock").statusCode()).isEqualTo(200);
    }

    @Test
    void readOnlyAccessAnswersDeletesWithMethodNotAllowedAndClearsNothing() throws Exception {
        inventory.stock("a").join();

        assertThat(send("DELETE", "/actuator/alru/inventory.stock").statusCode()).isEqualTo(405);
        assertThat(send("DELETE", "/actuator/alru").statusCode()).isEqualTo(405);
        assertThat(registry.get("inventory.stock").contains("a")).isTrue();
    }

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
