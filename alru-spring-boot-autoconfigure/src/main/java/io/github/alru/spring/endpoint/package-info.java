/** The {@code alru} actuator endpoint: every cache's statistics and settings, and clearing caches. */
@NullMarked
package io.github.alru.spring.endpoint;

import org.jspecify.annotations.NullMarked;
