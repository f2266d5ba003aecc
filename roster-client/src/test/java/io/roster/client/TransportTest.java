package io.roster.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roster.testkit.InProcessRoster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Failover, unknown outcomes and bad endpoints. */
class TransportTest {
  private static InProcessRoster roster;

  @BeforeAll
  static void start() {
    roster = InProcessRoster.start("transport");
  }

  @AfterAll
  static void stop() {
    roster.close();
  }

  private static URI deadEndpoint() throws IOException {
    return URI.create("http://127.0.0.1:" + InProcessRoster.freePort());
  }

  private static RosterClient client(URI... endpoints) {
    return RosterClient.builder()
        .endpoints(endpoints)
        .requestTimeout(Duration.ofMillis(800))
        .memberRefreshInterval(Duration.ZERO)
        .build();
  }

  /** A loopback server that answers every connection with {@code reply} (or nothing) and closes. */
  private static final class RawServer implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0);
    final Thread thread;

    RawServer(byte[] reply, boolean silent) throws IOException {
      thread =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try (Socket s = socket.accept()) {
                    InputStream in = s.getInputStream();
                    in.read(new byte[8192]);
                    if (silent) {
                      Thread.sleep(3_000);
                    } else {
                      OutputStream out = s.getOutputStream();
                      out.write(reply);
                      out.flush();
                    }
                  } catch (IOException | InterruptedException e) {
                    return;
                  }
                }
              });
      thread.setDaemon(true);
      thread.start();
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void deadFirstEndpoint_readsAndWritesFailOverAndPinTheLiveOne() throws Exception {
    URI dead = deadEndpoint();
    try (RosterClient c = client(dead, roster.clientUrl())) {
      assertThat(c.set("/t/failover", "1", WriteOptions.defaults()).node().value()).isEqualTo("1");
      assertThat(c.endpoints().get(0)).isEqualTo(roster.clientUrl());
      assertThat(c.get("/t/failover", GetOptions.defaults()).node().value()).isEqualTo("1");
    }
  }

  @Test
  void unreachableOnly_typedErrorWithinTheTimeout_writeNotUnknown() throws Exception {
    try (RosterClient c = client(deadEndpoint())) {
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> c.get("/t/x", GetOptions.defaults()))
          .isExactlyInstanceOf(RosterTransportException.class);
      assertThatThrownBy(() -> c.set("/t/x", "1", WriteOptions.defaults()))
          .isExactlyInstanceOf(RosterTransportException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
    }
  }

  @Test
  void garbageEndpoint_readIsTransportError_writeIsOutcomeUnknown() throws Exception {
    try (RawServer garbage =
            new RawServer("garbage\r\n\r\n".getBytes(StandardCharsets.US_ASCII), false);
        RosterClient c = client(garbage.uri())) {
      assertThatThrownBy(() -> c.get("/t/x", GetOptions.defaults()))
          .isExactlyInstanceOf(RosterTransportException.class);
      assertThatThrownBy(() -> c.set("/t/x", "1", WriteOptions.defaults()))
          .isInstanceOf(OutcomeUnknownException.class);
    }
  }

  @Test
  void silentEndpoint_timesOut_writeIsOutcomeUnknownAndNotResent() throws Exception {
    try (RawServer silent = new RawServer(new byte[0], true);
        RosterClient c = client(silent.uri(), roster.clientUrl())) {
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> c.set("/t/unknown", "1", WriteOptions.defaults()))
          .isInstanceOf(OutcomeUnknownException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
      assertThatThrownBy(() -> c.get("/t/unknown", GetOptions.defaults()))
          .isInstanceOf(RosterException.class);
    }
  }

  @Test
  void silentEndpointFirst_readFailsOverAfterTheTimeout() throws Exception {
    try (RawServer silent = new RawServer(new byte[0], true);
        RosterClient c = client(silent.uri(), roster.clientUrl())) {
      try (RosterClient direct = client(roster.clientUrl())) {
        direct.set("/t/read", "r", WriteOptions.defaults());
      }
      assertThat(c.get("/t/read", GetOptions.defaults()).node().value()).isEqualTo("r");
    }
  }

  @Test
  void httpButNotEtcd_isATransportErrorNamingTheEndpoint() throws Exception {
    byte[] reply =
        ("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 14\r\n"
                + "Connection: close\r\n\r\n<html>hi</html")
            .getBytes(StandardCharsets.US_ASCII);
    try (RawServer html = new RawServer(reply, false);
        RosterClient c = client(html.uri())) {
      assertThatThrownBy(() -> c.get("/t/x", GetOptions.defaults()))
          .isExactlyInstanceOf(RosterTransportException.class)
          .hasMessageContaining(html.uri().toString())
          .hasMessageContaining("not an etcd v2 answer");
    }
  }
}
