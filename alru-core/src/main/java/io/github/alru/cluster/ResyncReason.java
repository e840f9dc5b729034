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
    OUTAGE,

    /**
     * The shared store is another server process than before (a restart, perhaps from a snapshot
     * older than the last invalidations, or a failover to a replica).
     */
    RESTART;

    /**
     * The value of the meters' {@code reason} tag.
     *
     * @return the reason in lower case: {@code gap}, {@code subscription}, {@code outage} or {@code restart}
     */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
