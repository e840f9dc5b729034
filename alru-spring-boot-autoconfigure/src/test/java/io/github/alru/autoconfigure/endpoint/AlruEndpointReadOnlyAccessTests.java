package io.github.alru.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;

import io.github.alru.AlruCacheRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Semantics item 22, access: {@code management.endpoint.alru.access=read-only} keeps reads and drops the deletes. */
@SpringBootTest(classes = OpenActuatorApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"management.endpoints.web.exposure.include=alru", "management.endpoint.alru.access=read-only"})
class AlruEndpointReadOnlyAccessTests {

    @LocalServerPort
    int port;

    @Autowired
    OpenActuatorApplication.Inventory inventory;

    @Autowired
    AlruCacheRegistry registry;

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
        return LocalHttp.send(port, method, path);
    }
}
