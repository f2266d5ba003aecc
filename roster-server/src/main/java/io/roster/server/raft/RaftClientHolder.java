package io.roster.server.raft;

import java.io.IOException;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member's {@link RaftClient}, replaced when it breaks for good.
 *
 * <p>A Ratis client whose ordered request window saw a request exhaust its retries fails every
 * later request at once with {@link AlreadyClosedException}, and nothing resets it: one long outage
 * would leave the member unable to write forever. When a failure of that kind is reported, the
 * broken client is swapped for a fresh one (once, however many callers report it) and closed; its
 * in-flight requests fail, which their callers already handle as error 300.
 */
final class RaftClientHolder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RaftClientHolder.class);

  private final Supplier<RaftClient> factory;
  private volatile RaftClient current;

  RaftClientHolder(Supplier<RaftClient> factory) {
    this.factory = factory;
    this.current = factory.get();
  }

  RaftClient get() {
    return current;
  }

  /** Whether a failure means the client will never work again. */
  static boolean breaksClient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof AlreadyClosedException || t instanceof RaftRetryFailureException) {
        return true;
      }
    }
    return false;
  }

  /** Replaces {@code broken} with a new client, unless someone already did. */
  void replace(RaftClient broken) {
    synchronized (this) {
      if (current != broken) {
        return;
      }
      current = factory.get();
    }
    LOG.info("Raft client failed for good; replaced it");
    closeQuietly(broken);
  }

  private static void closeQuietly(RaftClient c) {
    try {
      c.close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("closing a Raft client", e);
    }
  }

  @Override
  public void close() {
    closeQuietly(current);
  }
}
