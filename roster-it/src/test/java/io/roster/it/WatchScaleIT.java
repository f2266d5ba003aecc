package io.roster.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tens of thousands of watchers on one member without a thread each: 15,000 concurrent long-poll
 * watches (as many as this machine's 20,000 descriptors per process allow on both ends), one write,
 * and every watcher gets its event; the server's thread count stays small and the watchers are gone
 * once their connections close. The client side is one selector thread over raw non-blocking
 * sockets.
 */
@ExtendWith(DumpLogsOnFailure.class)
class WatchScaleIT {
  private static final int WATCHERS = 15_000;
  private static ServerProcess server;

  @BeforeAll
  static void start() {
    server = ServerProcess.start(ServerKind.ROSTER, "watch-scale");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void fifteenThousandLongPolls_allSeeOneWrite_withAFewThreads() throws Exception {
    EtcdV2Http http = server.client();
    http.put("/scale/k", EtcdV2Http.form("value", "before"));
    long since = http.currentIndex() + 1;
    byte[] request =
        ("GET /v2/keys/scale/k?wait=true&waitIndex="
                + since
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    InetSocketAddress addr = new InetSocketAddress("127.0.0.1", server.clientPort);
    List<SocketChannel> channels = new ArrayList<>(WATCHERS);
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < WATCHERS; i++) {
        SocketChannel ch = SocketChannel.open();
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        ch.connect(addr);
        ch.write(ByteBuffer.wrap(request));
        ch.configureBlocking(false);
        ch.register(selector, SelectionKey.OP_READ, new StringBuilder());
        channels.add(ch);
      }
      awaitWatchers(http, WATCHERS);
      int serverThreads = threads(server.pid());
      assertThat(serverThreads).as("server threads with %d watchers", WATCHERS).isLessThan(200);

      assertThat(http.put("/scale/k", EtcdV2Http.form("value", "after")).status()).isEqualTo(200);

      int complete = 0;
      ByteBuffer buf = ByteBuffer.allocate(8192);
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (complete < WATCHERS && System.nanoTime() < deadline) {
        selector.select(1000);
        for (SelectionKey key : selector.selectedKeys()) {
          SocketChannel ch = (SocketChannel) key.channel();
          StringBuilder got = (StringBuilder) key.attachment();
          buf.clear();
          int n = ch.read(buf);
          if (n > 0) {
            got.append(new String(buf.array(), 0, n, StandardCharsets.UTF_8));
          }
          if (got.indexOf("\"value\":\"after\"") >= 0 && got.indexOf("\"action\":\"set\"") >= 0) {
            complete++;
            key.cancel();
          } else if (n < 0) {
            key.cancel();
          }
        }
        selector.selectedKeys().clear();
      }
      assertThat(complete).as("watchers that received the write").isEqualTo(WATCHERS);
    } finally {
      for (SocketChannel ch : channels) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // closing is best effort
        }
      }
    }
    awaitWatchers(http, 0);
  }

  private static void awaitWatchers(EtcdV2Http http, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    long watchers = -1;
    while (System.nanoTime() < deadline) {
      EtcdV2Http.Reply stats = http.send("GET", "/v2/stats/store", null);
      watchers = stats.json().path("watchers").asLong();
      if (watchers == expected) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("watchers: expected " + expected + ", still " + watchers);
  }

  private static int threads(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("Threads:")) {
        return Integer.parseInt(line.substring("Threads:".length()).trim());
      }
    }
    throw new IOException("no thread count for " + pid);
  }
}
