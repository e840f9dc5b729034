package io.github.alru.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/** The quick-start story, told in-process with a short ttl: the hits, misses and sizes it prints. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "alru.caches.[pepClient.fetch].ttl=600ms",
        "alru.caches.[pepClient.fetch].jitter=0s",
        "sample.upstream.latency=20ms"})
@DirtiesContext
class QuickStartTests {

    @Autowired
    QuickStart quickStart;

    @Autowired
    PepArchive archive;

    @Test
    void storyShowsMissesThenHitsInfoContainsExpiryAndClose() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        quickStart.tell(new PrintStream(printed, true, StandardCharsets.UTF_8));

        String story = printed.toString(StandardCharsets.UTF_8);
        assertThat(story).containsPattern("PEP 8: \\d+ characters \\(miss: fetched from the upstream")
                .containsPattern("PEP 290: \\d+ characters \\(miss")
                .containsPattern("PEP 8: \\d+ characters \\(hit: from the cache")
                .containsPattern("PEP 218: \\d+ characters \\(miss")
                .containsPattern("PEP 320: \\d+ characters \\(hit")
                .contains("AlruCacheInfo[hits=2, misses=5, maxSize=64, currentSize=5]")
                .contains("Cache contains PEP 8: true")
                .contains("Cache contains PEP 9991: false")
                .contains("600 ms, plus up to 0 s of jitter")
                .contains("PEP 8 has expired: true")
                .contains("AlruCacheInfo[hits=2, misses=6")
                .contains("Closed: true")
                .containsPattern("PEP 8: failed with AlruCacheClosedException: .*pepClient.fetch.* \\(the cache is closed")
                .contains("Upstream requests before and after that call: 6, 6");
        assertThat(archive.requests()).as("upstream requests: 5 misses, then PEP 8 again; none once closed").isEqualTo(6);
    }
}
