/** Micrometer meters of alru's caches, named as Micrometer's own cache binders name them. */
@NullMarked
package io.github.alru.spring.metrics;

import org.jspecify.annotations.NullMarked;
