package io.github.alru.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;

import io.github.alru.AlruCacheRegistry;
import io.github.alru.spring.endpoint.AlruEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** Semantics item 22, exposure: with Boot's default web exposure the endpoint is not on the web. */
// No Redis here: Spring Data Redis is on this test class path only through the optional alru-redis.
@SpringBootTest(classes = OpenActuatorApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "management.health.redis.enabled=false")
class AlruEndpointExposureTests {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    OpenActuatorApplication.Inventory inventory;

    @Autowired
    AlruCacheRegistry registry;

    @Test
    void endpointIsNotFoundOnTheWebWhenNotExposedWhileDefaultEndpointsAre() throws Exception {
        assertThat(send("GET", "/actuator/health").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/actuator/alru").statusCode()).isEqualTo(404);
        assertThat(context.getBeansOfType(AlruEndpoint.class)).isEmpty();
    }

    @Test
    void deleteIsNotFoundAndClearsNothingWhenNotExposed() throws Exception {
        inventory.stock("a").join();

        assertThat(send("DELETE", "/actuator/alru").statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/actuator/alru/inventory.stock").statusCode()).isEqualTo(404);
        assertThat(registry.get("inventory.stock").contains("a")).isTrue();
    }

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return LocalHttp.send(port, method, path);
    }
}
