/** The health of alru's link to its cluster tier. */
@NullMarked
package io.github.alru.spring.health;

import org.jspecify.annotations.NullMarked;
