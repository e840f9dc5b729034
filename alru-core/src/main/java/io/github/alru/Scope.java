package io.github.alru;

/** Where an {@link AlruCacheable} method's cache lives. */
public enum Scope {

    /** In this JVM only (the default). */
    LOCAL,

    /**
     * Shared by every instance of the application connected to the same Redis: one execution per
     * key across instances, invalidation everywhere. Needs the {@code alru-redis} module.
     */
    CLUSTER
}
