package io.roster.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** A watch on one server ({@code stream=true} or a long poll), read event by event. */
final class StreamWatch implements AutoCloseable {
  private final RawHttp.Conn conn;
  private final InputStream body;
  final RawHttp.Head head;

  private StreamWatch(RawHttp.Conn conn, RawHttp.Head head, InputStream body) {
    this.conn = conn;
    this.head = head;
    this.body = body;
  }

  /** Opens {@code GET /v2/keys<keyAndQuery>} and waits for the response head. */
  static StreamWatch open(ServerProcess s, String keyAndQuery) throws IOException {
    RawHttp.Conn c = RawHttp.Conn.open(s.clientPort, 5000);
    c.send(RawHttp.request("GET", "/v2/keys" + keyAndQuery, s.clientPort, null, null));
    RawHttp.Head h = c.readHead();
    return new StreamWatch(c, h, c.body(h, false));
  }

  /** The next event, or null if none arrives within the timeout or the response ended. */
  @Nullable JsonNode next(int timeoutMillis) throws IOException {
    conn.timeout(timeoutMillis);
    try {
      String line = RawHttp.readLine(body);
      while (line != null && line.isBlank()) {
        line = RawHttp.readLine(body);
      }
      if (line == null) {
        return null;
      }
      String text = new String(line.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
      return EtcdV2Http.JSON.readTree(text);
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  @Override
  public void close() {
    conn.close();
  }
}
