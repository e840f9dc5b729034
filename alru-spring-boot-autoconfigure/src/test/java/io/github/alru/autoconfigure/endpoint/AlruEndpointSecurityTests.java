package io.github.alru.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.config.Customizer.withDefaults;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.github.alru.AlruCacheInfo;
import io.github.alru.AlruCacheRegistry;
import io.github.alru.spring.endpoint.AlruEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Semantics item 22, security: the endpoint obeys an application's actuator security like Boot's own
 * endpoints. Here anyone may read it, and only the {@code OPS} role may clear caches.
 */
@SpringBootTest(classes = AlruEndpointSecurityTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "management.endpoints.web.exposure.include=alru,health")
class AlruEndpointSecurityTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        OpenActuatorApplication.Inventory inventory() {
            return new OpenActuatorApplication.Inventory();
        }

        @Bean
        SecurityFilterChain actuatorSecurity(HttpSecurity http) throws Exception {
            return http.securityMatcher(EndpointRequest.toAnyEndpoint())
                    .authorizeHttpRequests(requests -> requests
                            .requestMatchers(EndpointRequest.to(AlruEndpoint.class).withHttpMethod(HttpMethod.GET)).permitAll()
                            .anyRequest().hasRole("OPS"))
                    .httpBasic(withDefaults())
                    .csrf(csrf -> csrf.ignoringRequestMatchers(EndpointRequest.toAnyEndpoint()))
                    .build();
        }

        @Bean
        UserDetailsService users() {
            return new InMemoryUserDetailsManager(
                    User.withUsername("ops").password("{noop}ops-secret").roles("OPS").build(),
                    User.withUsername("viewer").password("{noop}viewer-secret").roles("VIEWER").build());
        }
    }

    private static final AlruCacheInfo FILLED = new AlruCacheInfo(1, 2, 128, 2);
    private static final AlruCacheInfo CLEARED = new AlruCacheInfo(0, 0, 128, 0);

    @LocalServerPort
    int port;

    @Autowired
    OpenActuatorApplication.Inventory inventory;

    @Autowired
    AlruCacheRegistry registry;

    @BeforeEach
    void fillTheCache() {
        registry.get("inventory.stock").clear();
        inventory.stock("a").join();
        inventory.stock("a").join();
        inventory.stock("b").join();
        assertThat(registry.get("inventory.stock").info()).isEqualTo(FILLED);
    }

    @Test
    void anonymousGetIsAllowedByTheApplicationsRules() throws Exception {
        assertThat(send("GET", "/actuator/alru", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/actuator/alru/inventory.stock", null).statusCode()).isEqualTo(200);
    }

    @Test
    void anonymousDeleteOfOneCacheIsRefusedAndClearsNothing() throws Exception {
        assertThat(send("DELETE", "/actuator/alru/inventory.stock", null).statusCode()).isEqualTo(401);

        assertThat(registry.get("inventory.stock").info()).isEqualTo(FILLED);
    }

    @Test
    void anonymousDeleteOfAllCachesIsRefusedAndClearsNothing() throws Exception {
        assertThat(send("DELETE", "/actuator/alru", null).statusCode()).isEqualTo(401);

        assertThat(registry.get("inventory.stock").info()).isEqualTo(FILLED);
    }

    @Test
    void deleteWithAWrongPasswordIsRefusedAndClearsNothing() throws Exception {
        assertThat(send("DELETE", "/actuator/alru", basic("ops", "guess")).statusCode()).isEqualTo(401);

        assertThat(registry.get("inventory.stock").info()).isEqualTo(FILLED);
    }

    @Test
    void deleteByAUserWithoutTheRequiredRoleIsForbiddenAndClearsNothing() throws Exception {
        assertThat(send("DELETE", "/actuator/alru/inventory.stock", basic("viewer", "viewer-secret")).statusCode())
                .isEqualTo(403);
        assertThat(send("DELETE", "/actuator/alru", basic("viewer", "viewer-secret")).statusCode()).isEqualTo(403);

        assertThat(registry.get("inventory.stock").info()).isEqualTo(FILLED);
    }

    @Test
    void authorisedDeleteOfOneCacheClearsIt() throws Exception {
        assertThat(send("DELETE", "/actuator/alru/inventory.stock", basic("ops", "ops-secret")).statusCode()).isEqualTo(204);

        assertThat(registry.get("inventory.stock").info()).isEqualTo(CLEARED);
    }

    @Test
    void authorisedDeleteOfAllCachesClearsThem() throws Exception {
        assertThat(send("DELETE", "/actuator/alru", basic("ops", "ops-secret")).statusCode()).isEqualTo(204);

        assertThat(registry.get("inventory.stock").info()).isEqualTo(CLEARED);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(String method, String path, String authorization)
            throws IOException, InterruptedException {
        return LocalHttp.send(port, method, path, authorization);
    }
}
