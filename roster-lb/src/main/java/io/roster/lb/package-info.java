/** Roster lb. */
@NullMarked
package io.roster.lb;

import org.jspecify.annotations.NullMarked;
