package io.roster.cli;

/**
 * Ends a command: {@link #stderr()} is printed to standard error as is (etcdctl's exact text,
 * newlines included) and the process exits with {@link #exitCode()}. {@link #hint()} is shown only
 * to people at a terminal, so scripted output stays identical to etcdctl's. Immutable.
 */
public final class CtlFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;
  private final String stderr;
  private final String hint;

  /** A failure whose text ends without a hint. */
  public CtlFailure(int exitCode, String stderr) {
    this(exitCode, stderr, "");
  }

  /**
   * @param exitCode the process exit code
   * @param stderr the exact text for standard error, usually ending in a newline
   * @param hint what to try next, for people; "" for none
   */
  public CtlFailure(int exitCode, String stderr, String hint) {
    super(stderr.strip(), null, false, false);
    this.exitCode = exitCode;
    this.stderr = stderr;
    this.hint = hint;
  }

  /** etcdctl's {@code handleError}: {@code "Error: " + message}, a newline, and the exit code. */
  public static CtlFailure error(int exitCode, String message) {
    return new CtlFailure(exitCode, "Error:  " + message + "\n");
  }

  /** The process exit code. */
  public int exitCode() {
    return exitCode;
  }

  /** The exact text for standard error. */
  public String stderr() {
    return stderr;
  }

  /** A hint for people, "" if none. */
  public String hint() {
    return hint;
  }
}
