package io.roster.client.internal;

import java.net.URI;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the endpoint list in step with the cluster: every interval it reads {@code GET /v2/members}
 * (through the pinned endpoint, with failover) and hands the members' client URLs to {@link
 * Endpoints#updateMembers}. At most one refresh runs at a time; a failed refresh is logged at debug
 * level and the list is left as it was. Thread-safe.
 */
public final class MemberRefresher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MemberRefresher.class);

  private final HttpTransport transport;
  private final ScheduledFuture<?> task;

  /** Starts refreshing at once and then every {@code intervalMillis}. */
  public MemberRefresher(
      HttpTransport transport, ScheduledExecutorService scheduler, long intervalMillis) {
    this.transport = transport;
    this.task =
        scheduler.scheduleWithFixedDelay(
            this::refreshQuietly, 0, intervalMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Reads the member list once and updates the endpoints; blocks for at most one request timeout
   * per endpoint.
   *
   * @return the client URLs the cluster reported
   * @throws RuntimeException a transport or decoding failure
   */
  public static List<URI> refresh(HttpTransport transport) throws InterruptedException {
    try {
      RawResponse r = transport.send("GET", "/v2/members", null, false).get();
      if (r.status() != 200) {
        throw Wire.error(r);
      }
      List<URI> urls = Wire.clientUrls(r);
      transport.endpoints().updateMembers(urls);
      return urls;
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable t = HttpTransport.unwrap(e);
      throw t instanceof RuntimeException ? (RuntimeException) t : new IllegalStateException(t);
    }
  }

  private void refreshQuietly() {
    try {
      refresh(transport);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.debug("member refresh failed; keeping {}", transport.endpoints().all(), e);
    }
  }

  @Override
  public void close() {
    task.cancel(true);
  }
}
