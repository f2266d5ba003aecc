package io.roster.cli;

/** etcdctl's exit codes ({@code cobrautl} in etcd), which rosterctl keeps. */
public final class ExitCode {
  /** Done. */
  public static final int SUCCESS = 0;

  /** Bad flags or arguments, or a members-API failure (etcdctl exits 1 for those). */
  public static final int BAD_ARGS = 1;

  /** No endpoint could be reached while syncing the member list. */
  public static final int BAD_CONNECTION = 2;

  /** The server answered with an error, or the request failed. */
  public static final int SERVER_ERROR = 4;

  /** {@code cluster-health} found no healthy member. */
  public static final int CLUSTER_NOT_HEALTHY = 5;

  private ExitCode() {}
}
