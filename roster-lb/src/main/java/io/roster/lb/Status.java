package io.roster.lb;

/**
 * How available a service or endpoint is, best first. As in Finagle, status flows upward: an
 * ejected endpoint reports {@link #BUSY}, and a balancer reports the best status of its endpoints.
 */
public enum Status {
  /** Ready for requests. */
  OPEN,
  /** Alive but should be avoided for now (ejected, probing, or saturated). */
  BUSY,
  /** Gone for good; never send to it. */
  CLOSED;

  /** The better of {@code a} and {@code b}. */
  public static Status best(Status a, Status b) {
    return a.ordinal() <= b.ordinal() ? a : b;
  }

  /** The worse of {@code a} and {@code b}. */
  public static Status worst(Status a, Status b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }
}
