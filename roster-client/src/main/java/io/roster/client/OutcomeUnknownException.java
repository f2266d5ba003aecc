package io.roster.client;

/**
 * A write was sent but no answer came back (connection reset, timeout, garbage): the server may or
 * may not have applied it. The client never resends such a write on its own; the caller decides,
 * usually by reading the key (compare {@code modifiedIndex}) or by repeating a write that is safe
 * to repeat (a compareAndSwap on {@code prevIndex}, a create that tolerates {@code 105}).
 * Immutable.
 */
public final class OutcomeUnknownException extends RosterTransportException {
  private static final long serialVersionUID = 1L;

  /** A write to {@code endpoint} whose outcome is unknown because of {@code cause}. */
  public OutcomeUnknownException(String message, Throwable cause) {
    super(message, cause);
  }
}
