package io.roster.it;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 over a plain socket, byte for byte: the request is sent exactly as given (no URI
 * validation, no header rules) and the response is parsed by hand (Content-Length, chunked, or
 * until EOF). Used where java.net.http would refuse or rewrite the request, and to see hop-by-hop
 * headers such as {@code Connection: close}.
 */
final class RawHttp {
  private RawHttp() {}

  /** Status line and headers, in wire order. */
  record Head(String statusLine, int status, List<String[]> headers) {
    @Nullable String header(String name) {
      for (String[] h : headers) {
        if (h[0].equalsIgnoreCase(name)) {
          return h[1];
        }
      }
      return null;
    }
  }

  /** A whole response, or the reason there is none ({@code error}). */
  record Response(@Nullable Head head, byte[] body, @Nullable String error) {
    int status() {
      return head == null ? -1 : head.status();
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Nullable String header(String name) {
      return head == null ? null : head.header(name);
    }

    @Override
    public String toString() {
      if (head == null) {
        return "<no response: " + error + ">";
      }
      StringBuilder sb = new StringBuilder(head.statusLine()).append('\n');
      for (String[] h : head.headers()) {
        sb.append(h[0]).append(": ").append(h[1]).append('\n');
      }
      String text = bodyText();
      sb.append('\n').append(text.length() > 2000 ? text.substring(0, 2000) + "…" : text);
      if (error != null) {
        sb.append("\n<then: ").append(error).append('>');
      }
      return sb.toString();
    }
  }

  /** Builds a well-formed request: Host and (when there is a body) Content-Length added. */
  static byte[] request(
      String method,
      String target,
      int port,
      @Nullable String contentType,
      byte @Nullable [] body) {
    StringBuilder sb = new StringBuilder();
    sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    sb.append("Host: 127.0.0.1:").append(port).append("\r\n");
    sb.append("User-Agent: roster-it\r\n");
    if (contentType != null) {
      sb.append("Content-Type: ").append(contentType).append("\r\n");
    }
    if (body != null) {
      sb.append("Content-Length: ").append(body.length).append("\r\n");
    }
    sb.append("\r\n");
    byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
    if (body == null) {
      return head;
    }
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /**
   * Sends {@code request} on a new connection and reads one response. Large requests are written
   * from a second thread so that an early answer (e.g. "POST too large") is still read.
   */
  static Response exchange(int port, byte[] request, boolean headRequest, int timeoutMillis) {
    try (Conn c = Conn.open(port, timeoutMillis)) {
      Thread writer = null;
      if (request.length > 256 * 1024) {
        writer =
            new Thread(
                () -> {
                  try {
                    c.send(request);
                  } catch (IOException ignored) {
                    // the server may close early; the response tells what happened
                  }
                },
                "raw-http-writer");
        writer.setDaemon(true);
        writer.start();
      } else {
        c.send(request);
      }
      Response r = c.readResponse(headRequest);
      if (writer != null) {
        writer.interrupt();
      }
      return r;
    } catch (IOException e) {
      return new Response(null, new byte[0], e.toString());
    }
  }

  /** One client connection. */
  static final class Conn implements Closeable {
    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private Conn(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new java.io.BufferedInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    static Conn open(int port, int timeoutMillis) throws IOException {
      Socket s = new Socket();
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 3000);
      s.setSoTimeout(timeoutMillis);
      s.setTcpNoDelay(true);
      return new Conn(s);
    }

    void send(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    void timeout(int millis) throws IOException {
      socket.setSoTimeout(millis);
    }

    Head readHead() throws IOException {
      String status = readLine();
      if (status == null) {
        throw new EOFException("connection closed before a status line");
      }
      String[] parts = status.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
        throw new IOException("bad status line: " + status);
      }
      List<String[]> headers = new ArrayList<>();
      String line;
      while ((line = readLine()) != null && !line.isEmpty()) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1).strip()});
        }
      }
      return new Head(status, Integer.parseInt(parts[1]), headers);
    }

    /** The decoded body stream of a response with this head. */
    InputStream body(Head head, boolean headRequest) {
      if (headRequest || head.status() == 204 || head.status() == 304 || head.status() / 100 == 1) {
        return InputStream.nullInputStream();
      }
      String te = head.header("Transfer-Encoding");
      if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
        return new Chunked(in);
      }
      String cl = head.header("Content-Length");
      if (cl != null) {
        return new Bounded(in, Long.parseLong(cl.strip()));
      }
      return in;
    }

    Response readResponse(boolean headRequest) {
      Head head;
      try {
        head = readHead();
      } catch (IOException e) {
        return new Response(null, new byte[0], e.toString());
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      try {
        body(head, headRequest).transferTo(body);
        return new Response(head, body.toByteArray(), null);
      } catch (SocketTimeoutException e) {
        return new Response(head, body.toByteArray(), "timeout reading body");
      } catch (IOException e) {
        return new Response(head, body.toByteArray(), e.toString());
      }
    }

    /** A CRLF (or LF) terminated ISO-8859-1 line, without the terminator; null at EOF. */
    @Nullable String readLine() throws IOException {
      return RawHttp.readLine(in);
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  static @Nullable String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int len =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
      if (line.size() > 1 << 20) {
        throw new IOException("line longer than 1 MiB");
      }
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  private static final class Bounded extends InputStream {
    private final InputStream in;
    private long left;

    Bounded(InputStream in, long length) {
      this.in = in;
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(buf, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }

  private static final class Chunked extends InputStream {
    private final InputStream in;
    private long left;
    private boolean done;

    Chunked(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (left == 0) {
        String size = readLine(in);
        if (size == null) {
          throw new EOFException("EOF inside chunked body");
        }
        int semi = size.indexOf(';');
        left = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).strip(), 16);
        if (left == 0) {
          String trailer;
          while ((trailer = readLine(in)) != null && !trailer.isEmpty()) {
            // trailers are ignored
          }
          done = true;
          return -1;
        }
      }
      int n = in.read(buf, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new EOFException("EOF inside chunk");
      }
      left -= n;
      if (left == 0) {
        readLine(in);
      }
      return n;
    }
  }
}
