package io.roster.lb.client;

import java.util.concurrent.CompletableFuture;

/**
 * A one-shot cancellation signal that crosses stage boundaries, which {@link
 * CompletableFuture#cancel} does not: a stage derived with {@code whenComplete} does not cancel its
 * source. A call's deadline cancels the call; the call's cancellation cancels each of its attempts;
 * a hedge that lost cancels only its own attempt. Thread-safe.
 */
final class Cancellation {
  private final CompletableFuture<Void> signal = new CompletableFuture<>();

  /** Fires the signal; idempotent. */
  void cancel() {
    signal.complete(null);
  }

  boolean cancelled() {
    return signal.isDone();
  }

  /** Runs {@code action} when cancelled (at once if already). */
  void onCancel(Runnable action) {
    var unused = signal.thenRun(action);
  }

  /** A cancellation that fires with this one, and can also fire alone. */
  Cancellation child() {
    Cancellation c = new Cancellation();
    onCancel(c::cancel);
    return c;
  }
}
