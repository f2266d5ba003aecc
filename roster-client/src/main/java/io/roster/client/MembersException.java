package io.roster.client;

/**
 * The members API answered, but not with success: a status it does not define for the call, or an
 * error it does define (404 unknown member, 409 peer URL already in use), with the server's {@code
 * message} if it sent one. Nothing was changed. Immutable.
 */
public final class MembersException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * @param status the HTTP status of the answer
   * @param message the server's {@code message} field, or {@code unexpected status code N}
   */
  public MembersException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status of the answer. */
  public int status() {
    return status;
  }
}
