package io.roster.lb.pool;

import java.net.ConnectException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Opens {@link FakeConnection}s: at once by default; held (the test completes them) after {@link
 * #hold()}; refused after {@link #refuse()}.
 */
final class FakeConnector implements Connector<FakeConnection> {
  final List<FakeConnection> opened = new ArrayList<>();
  final Deque<CompletableFuture<FakeConnection>> held = new ArrayDeque<>();
  private boolean hold;
  private boolean refuse;
  int attempts;

  void hold() {
    hold = true;
  }

  void refuse() {
    refuse = true;
  }

  /** Completes the oldest held connect successfully. */
  FakeConnection completeNext() {
    FakeConnection c = newConnection();
    held.poll().complete(c);
    return c;
  }

  @Override
  public CompletionStage<FakeConnection> connect() {
    attempts++;
    if (refuse) {
      return CompletableFuture.failedFuture(new ConnectException("Connection refused"));
    }
    if (hold) {
      CompletableFuture<FakeConnection> f = new CompletableFuture<>();
      held.add(f);
      return f;
    }
    return CompletableFuture.completedFuture(newConnection());
  }

  private FakeConnection newConnection() {
    FakeConnection c = new FakeConnection(opened.size() + 1);
    opened.add(c);
    return c;
  }
}
