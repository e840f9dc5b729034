/** Auto-configuration of alru and its {@code alru.*} properties. */
@NullMarked
package io.github.alru.autoconfigure;

import org.jspecify.annotations.NullMarked;
