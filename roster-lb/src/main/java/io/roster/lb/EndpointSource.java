package io.roster.lb;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where a balancer learns its endpoints. Today a fixed list ({@link #fixed}); later the discovery
 * client's instance cache, which will publish a new list whenever the registry changes.
 *
 * <p><b>Contract.</b> {@link #subscribe} calls the listener once, before it returns, with the
 * current list, and again with the whole new list after every change; lists are immutable. Calls
 * for one subscription never overlap. Implementations are thread-safe.
 */
public interface EndpointSource {

  /** The current endpoints, as an immutable list. */
  List<Endpoint> endpoints();

  /**
   * Delivers the current list and every later one to {@code listener} until the subscription is
   * closed.
   */
  Subscription subscribe(Consumer<List<Endpoint>> listener);

  /** A source whose list never changes. */
  static EndpointSource fixed(List<Endpoint> endpoints) {
    List<Endpoint> copy = List.copyOf(endpoints);
    return new EndpointSource() {
      @Override
      public List<Endpoint> endpoints() {
        return copy;
      }

      @Override
      public Subscription subscribe(Consumer<List<Endpoint>> listener) {
        listener.accept(copy);
        return () -> {};
      }
    };
  }

  /** Stops delivery to one listener. Idempotent; does not throw. */
  @FunctionalInterface
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
