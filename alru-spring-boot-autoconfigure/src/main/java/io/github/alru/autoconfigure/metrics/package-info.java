/** Auto-configuration of alru's Micrometer meters. */
@NullMarked
package io.github.alru.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
