/** The sample application: a slow upstream, an alru-cached {@code @Async} client, and the quick-start story. */
@NullMarked
package io.github.alru.sample;

import org.jspecify.annotations.NullMarked;
