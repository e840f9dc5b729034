package io.github.alru.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.aop.support.AopUtils;
import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** {@code GET /peps/{number}} over real HTTP: a second call is served by the cache, a 404 is not cached. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.upstream.latency=20ms")
class PepEndpointTests {

    @LocalServerPort
    int port;

    @Autowired
    PepArchive archive;

    @Autowired
    PepClient client;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void secondCallForAPepIsAnsweredFromTheCacheWithOneUpstreamRequest() throws Exception {
        int before = archive.requests();

        HttpResponse<String> first = get("/peps/484");
        HttpResponse<String> second = get("/peps/484");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).startsWith("PEP 484 -- Type Hints.");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(archive.requests() - before).isEqualTo(1);
    }

    @Test
    void unknownPepIs404AndTheFailureIsNotCached() throws Exception {
        int before = archive.requests();

        assertThat(get("/peps/9991").statusCode()).isEqualTo(404);
        assertThat(get("/peps/9991").statusCode()).isEqualTo(404);

        assertThat(archive.requests() - before).isEqualTo(2);
    }

    @Test
    void actuatorListsTheCache() throws Exception {
        HttpResponse<String> caches = get("/actuator/alru");

        assertThat(caches.statusCode()).isEqualTo(200);
        assertThat(caches.body()).contains("\"pepClient.fetch\"").contains("\"ttl\":\"PT10S\"").contains("\"maxSize\":64");
    }

    /** Run by the AOT-mode pass of {@code ./mvnw -B verify}: what a native image needs, checked on the JVM. */
    @Test
    @EnabledIfSystemProperty(named = "spring.aot.enabled", matches = "true")
    void theCachedClientsProxyClassWasGeneratedAheadOfTime() {
        assertThat(AotDetector.useGeneratedArtifacts()).isTrue();
        assertThat(AopUtils.isCglibProxy(client)).isTrue();
        String classFile = client.getClass().getName().replace('.', '/') + ".class";
        assertThat(client.getClass().getClassLoader().getResource(classFile)).as(classFile).isNotNull();
    }
}
