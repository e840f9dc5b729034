package io.github.alru.autoconfigure.endpoint;

import static java.util.concurrent.CompletableFuture.completedFuture;

import java.util.concurrent.CompletableFuture;

import io.github.alru.AlruCacheable;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.SecurityFilterChain;

/** An application with one cached bean whose actuator Spring Security lets through, so that exposure and access rules alone decide. */
@SpringBootConfiguration
@EnableAutoConfiguration
class OpenActuatorApplication {

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

    /** The cached bean: cache {@code inventory.stock}. */
    static class Inventory {

        @AlruCacheable
        public CompletableFuture<Integer> stock(String sku) {
            return completedFuture(sku.length());
        }
    }
}
