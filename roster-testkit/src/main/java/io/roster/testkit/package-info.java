/** Roster testkit. */
@NullMarked
package io.roster.testkit;

import org.jspecify.annotations.NullMarked;
