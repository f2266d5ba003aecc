package io.roster.server.raft;

import io.roster.api.Action;
import org.jspecify.annotations.Nullable;

/**
 * The applied result of one {@link Command}, as it travels back from the state machine to the HTTP
 * request that proposed it.
 *
 * @param action the event's action on success; null for an error
 * @param httpStatus 200/201 on success, the error's status otherwise
 * @param etcdIndex the {@code X-Etcd-Index} to send: the event's index, or the error's index
 * @param body the exact etcd response body (event or error JSON plus newline)
 */
public record WriteReply(@Nullable Action action, int httpStatus, long etcdIndex, byte[] body) {

  /** Whether the command succeeded (an event, not an error). */
  public boolean success() {
    return action != null;
  }
}
