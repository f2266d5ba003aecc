package io.roster.lb.http;

/**
 * The headers roster-lb adds to every attempt, and the rule for the service that receives them (the
 * SRE book's "retry at one layer only", {@code client-resilience.md} §8 gap 4, §9.3–9.4).
 *
 * <ul>
 *   <li>{@value #TIMEOUT_MS}: the caller's remaining total budget in whole milliseconds when the
 *       attempt was sent (relative, like gRPC's {@code grpc-timeout}, so clock skew between hosts
 *       does not matter). A server should give up on the request once that much time has passed
 *       since it arrived, and a roster-lb client inside that server should use it as the total
 *       deadline of the calls it makes on the request's behalf.
 *   <li>{@value #ATTEMPT}: which attempt this is, 1 for the first, counting retries, requeues and
 *       hedges of one logical request.
 * </ul>
 *
 * <p><b>The rule.</b> A roster-lb client that makes calls on behalf of an incoming request which
 * carries {@value #ATTEMPT} greater than 1 does not retry or hedge those calls (it still requeues
 * requests that never reached the wire, which cannot multiply work): the layer above is already
 * retrying, and retrying at every layer multiplies load as attempts^layers. {@link Inbound} reads
 * both headers from the incoming request and applies the rule.
 */
public final class RosterHeaders {
  /** Remaining budget in milliseconds, e.g. {@code Roster-Timeout-Ms: 850}. */
  public static final String TIMEOUT_MS = "roster-timeout-ms";

  /** Attempt number of this logical request, from 1, e.g. {@code Roster-Attempt: 2}. */
  public static final String ATTEMPT = "roster-attempt";

  private RosterHeaders() {}
}
