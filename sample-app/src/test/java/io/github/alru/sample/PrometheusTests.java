package io.github.alru.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code /actuator/prometheus} over real HTTP: alru's meters carry the names and labels Micrometer's
 * Caffeine binder gives them, so existing cache dashboards and alerts work.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.upstream.latency=20ms")
class PrometheusTests {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theScrapeHasTheCacheMetersUnderTheNamesCacheDashboardsQuery() throws Exception {
        get("/peps/257");
        get("/peps/257");

        HttpResponse<String> scrape = get("/actuator/prometheus");

        assertThat(scrape.statusCode()).isEqualTo(200);
        String labels = "{cache=\"pepClient.fetch\",cache_manager=\"alru\"";
        assertThat(scrape.body())
                .containsPattern("cache_gets_total\\{cache=\"pepClient\\.fetch\",cache_manager=\"alru\",result=\"hit\"} [1-9]")
                .contains("cache_gets_total" + labels + ",result=\"miss\"}")
                .contains("cache_puts_total" + labels + "}")
                .contains("cache_evictions_total" + labels + "}")
                .contains("cache_size" + labels + "}")
                .contains("cache_load_total" + labels + ",result=\"success\"}")
                .contains("cache_load_total" + labels + ",result=\"failure\"}")
                .contains("cache_load_duration_seconds" + labels + "}")
                .contains("alru_loads_in_flight" + labels + "}")
                .contains("alru_refreshes_total" + labels + ",result=\"success\"}");
    }
}
