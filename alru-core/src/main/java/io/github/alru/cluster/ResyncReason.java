package io.github.alru.cluster;

import java.util.Locale;

/**
 * Why an instance dropped its copies of CLUSTER caches: each is a moment when an invalidation
 * from another instance may really have been missed.
 */
public enum ResyncReason {

    /** Numbered messages of another instance went missing. */
    GAP,

    /** The subscription to the event channel was established again: messages sent meanwhile are lost. */
    SUBSCRIPTION,

    /** The link came back after an outage, during which this instance heard nothing. */
    OUTAGE;

    /**
     * The value of the meters' {@code reason} tag.
     *
     * @return the reason in lower case: {@code gap}, {@code subscription} or {@code outage}
     */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
