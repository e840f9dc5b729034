/**
 * The service-provider interface of a cluster tier: what a {@link io.github.alru.Scope#CLUSTER}
 * cache asks of the store shared by every instance of an application (the {@code alru-redis}
 * module implements it on Redis). Spring-free, like the rest of {@code alru-core}.
 */
@NullMarked
package io.github.alru.cluster;

import org.jspecify.annotations.NullMarked;
