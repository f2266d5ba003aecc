package io.roster.server.http;

/**
 * A proposal or quorum read that could not complete: no leader, no quorum, timeout, or shutdown.
 * Answered as etcd's error 300 with the message as cause (e.g. {@code etcdserver: request timed
 * out}). The operation may still take effect later.
 */
public final class RaftUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RaftUnavailableException(String etcdCause, Throwable cause) {
    super(etcdCause, cause);
  }

  public RaftUnavailableException(String etcdCause) {
    super(etcdCause);
  }
}
