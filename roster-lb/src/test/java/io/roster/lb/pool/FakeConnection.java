package io.roster.lb.pool;

import java.util.ArrayList;
import java.util.List;

/** A connection that is open until the pool or the test ("the server") closes it. */
final class FakeConnection implements PooledConnection {
  final int id;
  private boolean open = true;
  private final List<Runnable> listeners = new ArrayList<>();

  FakeConnection(int id) {
    this.id = id;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    if (open) {
      open = false;
      listeners.forEach(Runnable::run);
    }
  }

  /** The remote side closes the connection. */
  void closeRemotely() {
    close();
  }

  @Override
  public void onClose(Runnable listener) {
    if (open) {
      listeners.add(listener);
    } else {
      listener.run();
    }
  }

  @Override
  public String toString() {
    return "conn" + id;
  }
}
