package io.roster.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A raw HTTP/1.1 client over one socket: exact bytes out, responses parsed by hand. */
final class RawHttp implements AutoCloseable {
  final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttp(InetSocketAddress address) throws IOException {
    socket = new Socket(address.getAddress(), address.getPort());
    socket.setSoTimeout(5000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** A parsed response; {@code body} is ISO-8859-1 text of the raw bytes (chunks joined). */
  record Response(String statusLine, Map<String, String> headers, String body) {
    int status() {
      return Integer.parseInt(statusLine.split(" ")[1]);
    }

    @Nullable String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  RawHttp send(String request) throws IOException {
    return send(request.getBytes(StandardCharsets.ISO_8859_1));
  }

  RawHttp send(byte[] request) throws IOException {
    out.write(request);
    out.flush();
    return this;
  }

  /** Reads one response to a non-HEAD request. */
  Response read() throws IOException {
    return read(false);
  }

  /** Reads one response; {@code head}: no body follows whatever the headers say. */
  Response read(boolean head) throws IOException {
    Response r = readHead();
    if (head) {
      return r;
    }
    String te = r.header("transfer-encoding");
    String cl = r.header("content-length");
    String body;
    if (r.status() == 204 || r.status() == 304) {
      body = "";
    } else if (te != null && te.equals("chunked")) {
      StringBuilder b = new StringBuilder();
      String chunk;
      while ((chunk = readChunk()) != null) {
        b.append(chunk);
      }
      body = b.toString();
    } else if (cl != null) {
      body = new String(in.readNBytes(Integer.parseInt(cl)), StandardCharsets.ISO_8859_1);
    } else {
      body = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
    return new Response(r.statusLine(), r.headers(), body);
  }

  /** Reads a status line and headers only (a streamed response). */
  Response readHead() throws IOException {
    String status = line();
    while (status.startsWith("HTTP/1.1 100")) {
      line();
      status = line();
    }
    Map<String, String> headers = new LinkedHashMap<>();
    String h;
    while (!(h = line()).isEmpty()) {
      int colon = h.indexOf(':');
      headers.put(h.substring(0, colon).toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
    }
    return new Response(status, headers, "");
  }

  /** The next chunk's data, or null at the last chunk. */
  @Nullable String readChunk() throws IOException {
    int size = Integer.parseInt(line().strip(), 16);
    if (size == 0) {
      line();
      return null;
    }
    String data = new String(in.readNBytes(size), StandardCharsets.ISO_8859_1);
    line();
    return data;
  }

  /** Whether the server closed the connection (EOF) within the socket timeout. */
  boolean closedByServer() throws IOException {
    try {
      while (true) {
        int b = in.read();
        if (b < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("EOF after " + b.toString(StandardCharsets.ISO_8859_1));
      }
      b.write(c);
    }
    String s = b.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
