/**
 * The etcd v2 wire vocabulary shared by Roster's server, client and CLI: error codes and actions.
 */
@NullMarked
package io.roster.api;

import org.jspecify.annotations.NullMarked;
