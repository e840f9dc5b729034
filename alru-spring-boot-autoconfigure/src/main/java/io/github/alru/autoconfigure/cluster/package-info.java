/** Auto-configuration of the cluster tier on Redis, when {@code alru-redis} is on the class path. */
@NullMarked
package io.github.alru.autoconfigure.cluster;

import org.jspecify.annotations.NullMarked;
