package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.alru.testsupport.TestRedis;
import io.github.alru.autoconfigure.cluster.ClusterInstances.Upstream;
import io.github.alru.spring.metrics.AlruCacheMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard shipped in {@code dashboards/alru-grafana.json} queries only metrics that
 * alru exports, under the names Prometheus scrapes: an application with LOCAL and CLUSTER caches
 * (on a real Redis) is scraped, and every metric name in the dashboard's queries must be there.
 */
class DashboardMetricsTests {

    private static final Pattern METRIC = Pattern.compile("\\b((?:cache|alru)_[a-z_]+)\\{"); // a metric, not a label: its selector follows

    @Test
    void everyMetricTheDashboardQueriesIsExported() throws IOException {
        String dashboard = Files.readString(Path.of("..", "dashboards", "alru-grafana.json"));
        Set<String> queried = new TreeSet<>();
        Matcher names = METRIC.matcher(dashboard);
        while (names.find()) {
            queried.add(names.group(1));
        }
        assertThat(queried).contains("cache_gets_total", "alru_loads_in_flight", "alru_refreshes_total", "alru_cluster_gets_total");

        Upstream.reset();
        Upstream.latency = java.time.Duration.ZERO;
        try (TestRedis redis = TestRedis.start(); ClusterInstances instances = new ClusterInstances(redis, 1)) {
            PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            instances.context(0).getBean(AlruCacheMetrics.class).bindTo(prometheus);
            instances.service(0).fetch(1).join();
            instances.service(0).fetch(1).join();

            String scrape = prometheus.scrape();
            Set<String> exported = new TreeSet<>();
            for (String line : scrape.split("\n")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    exported.add(line.split("[{ ]", 2)[0]);
                }
            }
            assertThat(exported).containsAll(queried);
            assertThat(scrape).contains("cache_gets_total{cache=\"peps\",cache_manager=\"alru\",result=\"hit\"} 1.0");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
