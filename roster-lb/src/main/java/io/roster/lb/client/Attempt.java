package io.roster.lb.client;

/**
 * One attempt of a {@link Call}: its number (sent as {@code Roster-Attempt}), when it started, and
 * its own cancellation (fired by the call's, or alone when a hedge loses). Immutable.
 */
final class Attempt {
  final Call call;
  final int number;
  final long start;
  final Cancellation cancellation;

  Attempt(Call call, int number, long start, Cancellation cancellation) {
    this.call = call;
    this.number = number;
    this.start = start;
    this.cancellation = cancellation;
  }
}
