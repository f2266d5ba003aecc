/** Roster client. */
@NullMarked
package io.roster.client;

import org.jspecify.annotations.NullMarked;
