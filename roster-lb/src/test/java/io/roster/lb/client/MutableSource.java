package io.roster.lb.client;

import io.roster.lb.Endpoint;
import io.roster.lb.EndpointSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** An endpoint source whose list a test replaces with {@link #set}. */
final class MutableSource implements EndpointSource {
  private final List<Consumer<List<Endpoint>>> listeners = new CopyOnWriteArrayList<>();
  private volatile List<Endpoint> current;

  MutableSource(List<Endpoint> initial) {
    this.current = List.copyOf(initial);
  }

  synchronized void set(List<Endpoint> endpoints) {
    current = List.copyOf(endpoints);
    listeners.forEach(l -> l.accept(current));
  }

  @Override
  public List<Endpoint> endpoints() {
    return current;
  }

  @Override
  public synchronized Subscription subscribe(Consumer<List<Endpoint>> listener) {
    listeners.add(listener);
    listener.accept(current);
    return () -> listeners.remove(listener);
  }
}
