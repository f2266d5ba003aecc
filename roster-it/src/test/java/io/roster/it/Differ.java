package io.roster.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the same request to a reference server (real etcd) and to the server under test, in
 * lockstep, normalises both answers ({@link Normalized}) and compares them. A mismatch is recorded
 * with the context (script or seed, step), the request and both responses; {@link
 * #assertNoMismatch()} fails with the first one in full. {@link #rebase()} starts a new sequence:
 * index templates and normalised indexes count from each server's index at that moment.
 */
final class Differ {
  private static final Logger log = LoggerFactory.getLogger(Differ.class);

  static final AtomicLong COMPARED = new AtomicLong();
  static final AtomicLong SEQUENCES = new AtomicLong();

  private final ServerProcess ref;
  private final ServerProcess test;
  private long refBase;
  private long testBase;
  private String context = "";
  private int step;
  private final boolean stopAtFirst;
  private final List<String> mismatches = new ArrayList<>();

  /** The last steps of this sequence (request and reference status), for mismatch reports. */
  private final java.util.ArrayDeque<String> recent = new java.util.ArrayDeque<>();

  Differ(ServerProcess ref, ServerProcess test, boolean stopAtFirst) {
    this.ref = ref;
    this.test = test;
    this.stopAtFirst = stopAtFirst;
  }

  /**
   * Starts a sequence named {@code context}: fresh base indexes, step counter and mismatch list.
   */
  Differ rebase(String context) {
    this.context = context;
    this.step = 0;
    this.mismatches.clear();
    this.recent.clear();
    this.refBase = ref.client().currentIndex();
    this.testBase = test.client().currentIndex();
    SEQUENCES.incrementAndGet();
    return this;
  }

  String context() {
    return context;
  }

  ServerProcess reference() {
    return ref;
  }

  ServerProcess underTest() {
    return test;
  }

  long refBase() {
    return refBase;
  }

  long testBase() {
    return testBase;
  }

  /** Sends to both and compares; returns the reference's normalised answer. */
  Normalized send(DiffRequest req) {
    step++;
    RawHttp.Response a =
        RawHttp.exchange(ref.clientPort, req.bytes(refBase, ref.clientPort), req.isHead(), 10_000);
    RawHttp.Response b =
        RawHttp.exchange(
            test.clientPort, req.bytes(testBase, test.clientPort), req.isHead(), 10_000);
    Normalized na = Normalized.of(a, req, refBase);
    Normalized nb = Normalized.of(b, req, testBase);
    compare(req, na, nb);
    remember(req, na);
    return na;
  }

  /**
   * Sends hand-made bytes ({@code bytes.apply(port)}, so a Host header can name the port) to both
   * and compares; {@code label} describes the request in reports.
   */
  Normalized sendRaw(String label, java.util.function.IntFunction<byte[]> bytes) {
    step++;
    DiffRequest req = DiffRequest.of("RAW", "/v2/keys (hand-made: " + label + ")");
    RawHttp.Response a = RawHttp.exchange(ref.clientPort, bytes.apply(ref.clientPort), false, 5000);
    RawHttp.Response b =
        RawHttp.exchange(test.clientPort, bytes.apply(test.clientPort), false, 5000);
    Normalized na = Normalized.of(a, req, refBase);
    Normalized nb = Normalized.of(b, req, testBase);
    compare(req, na, nb);
    remember(req, na);
    return na;
  }

  /** Sends a list in order. */
  void sendAll(DiffRequest... reqs) {
    for (DiffRequest r : reqs) {
      send(r);
    }
  }

  /** A watch (long poll or stream) open on both servers. */
  final class Watch implements AutoCloseable {
    final DiffRequest req;
    private final RawHttp.Conn refConn;
    private final RawHttp.Conn testConn;
    private @Nullable InputStream refBody;
    private @Nullable InputStream testBody;

    private Watch(DiffRequest req, RawHttp.Conn refConn, RawHttp.Conn testConn) {
      this.req = req;
      this.refConn = refConn;
      this.testConn = testConn;
    }

    /** The next event (one JSON line) on both, or {@link Normalized#NO_EVENT} after the timeout. */
    Normalized next(int timeoutMillis) {
      step++;
      Normalized a = read(refConn, refBody, timeoutMillis, refBase);
      Normalized b = read(testConn, testBody, timeoutMillis, testBase);
      compare(req, a, b);
      return a;
    }

    private Normalized read(
        RawHttp.Conn c, @Nullable InputStream body, int timeoutMillis, long base) {
      if (body == null) {
        return Normalized.none("<watch has no body stream>");
      }
      try {
        c.timeout(timeoutMillis);
        String line = RawHttp.readLine(body);
        if (line == null) {
          return Normalized.none("<watch ended without event>");
        }
        return Normalized.body(
            new String(
                    line.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                    java.nio.charset.StandardCharsets.UTF_8)
                + "\n",
            req,
            base);
      } catch (SocketTimeoutException e) {
        return Normalized.none(Normalized.NO_EVENT);
      } catch (IOException e) {
        return Normalized.none("<watch failed: " + e + ">");
      }
    }

    @Override
    public void close() {
      refConn.close();
      testConn.close();
    }
  }

  /**
   * Opens the watch on both servers and waits for the response head (etcd flushes it once the
   * watcher is registered); the head (status, headers) is compared at once.
   */
  Watch watch(DiffRequest req) {
    step++;
    try {
      RawHttp.Conn a = RawHttp.Conn.open(ref.clientPort, 5000);
      RawHttp.Conn b = RawHttp.Conn.open(test.clientPort, 5000);
      a.send(req.bytes(refBase, ref.clientPort));
      b.send(req.bytes(testBase, test.clientPort));
      Watch w = new Watch(req, a, b);
      Normalized ha = head(a, req, refBase, true, w);
      Normalized hb = head(b, req, testBase, false, w);
      compare(req, ha, hb);
      return w;
    } catch (IOException e) {
      throw new AssertionError(context + ": cannot open watch " + req + ": " + e, e);
    }
  }

  private static Normalized head(
      RawHttp.Conn c, DiffRequest req, long base, boolean isRef, Watch w) {
    try {
      RawHttp.Head h = c.readHead();
      InputStream body = c.body(h, false);
      if (isRef) {
        w.refBody = body;
      } else {
        w.testBody = body;
      }
      RawHttp.Response headOnly = new RawHttp.Response(h, new byte[0], null);
      return Normalized.of(headOnly, req, base);
    } catch (SocketTimeoutException e) {
      return Normalized.none("<no response head within 5 s>");
    } catch (IOException e) {
      return Normalized.none("<watch failed: " + e + ">");
    }
  }

  private void remember(DiffRequest req, Normalized a) {
    String summary = a.json() != null ? EtcdV2Http.pretty(a.json()) : String.valueOf(a.text());
    if (summary.length() > 240) {
      summary = summary.substring(0, 240) + "…";
    }
    recent.addLast("    step " + step + ": " + req + "\n      -> " + a.status() + " " + summary);
    if (recent.size() > 12) {
      recent.removeFirst();
    }
  }

  private void compare(DiffRequest req, Normalized a, Normalized b) {
    COMPARED.incrementAndGet();
    String d = a.diff(b, req);
    if (d == null) {
      return;
    }
    String report =
        String.format(
            "MISMATCH [%s] step %d: %s%n  request: %s%n  (reference base index %d, under-test base"
                + " index %d)%n  earlier steps (reference answers):%n%s%n--- %s (normalised)"
                + " ---%n%s%n--- %s (normalised) ---%n%s%n--- %s raw ---%n%s%n--- %s raw ---%n%s%n",
            context,
            step,
            d,
            req,
            refBase,
            testBase,
            String.join("\n", recent),
            ref,
            a.render(),
            test,
            b.render(),
            ref,
            a.raw(),
            test,
            b.raw());
    if (mismatches.size() < 5) {
      log.warn("{}", report);
    } else {
      log.warn("MISMATCH [{}] step {}: {} ({})", context, step, d, req);
    }
    mismatches.add(report);
    if (stopAtFirst) {
      fail(report);
    }
  }

  List<String> mismatches() {
    return List.copyOf(mismatches);
  }

  /** Fails with the first mismatch in full and a count of the others. */
  void assertNoMismatch() {
    if (!mismatches.isEmpty()) {
      fail(
          "%d mismatch(es) between %s and %s in %s; the first:%n%s",
          mismatches.size(), ref.kind, test.kind, context, mismatches.get(0));
    }
  }
}
