package io.github.alru.sample;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The slow upstream's data: a few PEPs, each served after a delay, with a count of requests. */
@Component
public class PepArchive {

    private static final Map<Integer, String> TITLES = Map.of(
            8, "Style Guide for Python Code",
            20, "The Zen of Python",
            218, "Adding a Built-In Set Object Type",
            257, "Docstring Conventions",
            290, "Code Migration and Modernization",
            308, "Conditional Expressions",
            320, "Python 2.4 Release Schedule",
            484, "Type Hints",
            492, "Coroutines with async and await syntax",
            572, "Assignment Expressions");

    private final Duration latency;
    private final AtomicInteger requests = new AtomicInteger();

    PepArchive(@Value("${sample.upstream.latency:200ms}") Duration latency) {
        this.latency = latency;
    }

    /**
     * Looks a PEP up slowly, as a remote archive would.
     *
     * @param number the PEP's number
     * @return its text, or empty when there is no such PEP
     * @throws InterruptedException if interrupted while "on the network"
     */
    public Optional<String> find(int number) throws InterruptedException {
        requests.incrementAndGet();
        Thread.sleep(latency.toMillis());
        String title = TITLES.get(number);
        if (title == null) {
            return Optional.empty();
        }
        String paragraph = "PEP " + number + " -- " + title + ". This is the sample archive's copy. ";
        return Optional.of(paragraph.repeat(8 + number % 17));
    }

    /**
     * Tells how many requests reached the upstream.
     *
     * @return the number of lookups so far
     */
    public int requests() {
        return requests.get();
    }
}
