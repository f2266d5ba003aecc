package io.roster.it.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.roster.it.fault.KvOp.Call;
import io.roster.it.fault.KvOp.Node;
import io.roster.it.fault.KvOp.Result;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpConnectTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Records a concurrent history: client threads run random quorum reads, writes, compare-and-swaps,
 * creates and deletes over a small key set, each against a random member, and record every
 * operation's invocation and completion ({@link System#nanoTime}) and outcome.
 *
 * <p>Outcomes: 200/201 are OK; 404 error 100, 412 error 101 and 412 error 105 are definite
 * failures; anything else on a write (a 5xx or 300-class error, a timeout, a connection lost after
 * the request may have left) is UNKNOWN and completes at +∞. A request that could not connect was
 * never sent and is not recorded. Values are unique per write, so a read names the write it saw.
 *
 * <p>Thread-safe: {@link #start}/{@link #stop} from one thread, the clients record concurrently.
 */
final class HistoryRecorder {
  private static final Duration TIMEOUT = Duration.ofSeconds(12);

  private final FaultCluster cluster;
  private final String prefix;
  private final int keys;
  private final int clients;
  private final long seed;
  private final AtomicInteger ids = new AtomicInteger();
  private final ConcurrentLinkedQueue<KvOp> history = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicLong notSent = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();

  /**
   * @param prefix the directory the keys live in, e.g. {@code /lin/h3}; must be fresh
   */
  HistoryRecorder(FaultCluster cluster, String prefix, int keys, int clients, long seed) {
    this.cluster = cluster;
    this.prefix = prefix;
    this.keys = keys;
    this.clients = clients;
    this.seed = seed;
  }

  List<String> keys() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      out.add(prefix + "/k" + i);
    }
    return out;
  }

  void start() {
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread t = new Thread(() -> runClient(client), "history-client-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Stops the clients and waits for their last operations (bounded by the request timeout). */
  void stop() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(TIMEOUT.toMillis() + 5_000);
      if (t.isAlive()) {
        throw new AssertionError(t.getName() + " did not stop");
      }
    }
  }

  List<KvOp> history() {
    return List.copyOf(history);
  }

  long notSent() {
    return notSent.get();
  }

  private void runClient(int client) {
    Random random = new Random(seed * 1000 + client);
    MemberHttp http = new MemberHttp();
    Map<String, String> lastSeen = new HashMap<>();
    List<Member> members = cluster.members();
    int n = 0;
    while (!stop.get()) {
      Member m = members.get(random.nextInt(members.size()));
      String key = prefix + "/k" + random.nextInt(keys);
      String value = "c" + client + "-" + n++;
      int dice = random.nextInt(100);
      Call call;
      if (dice < 40) {
        call = Call.read(key);
      } else if (dice < 65) {
        call = Call.write(key, value);
      } else if (dice < 85) {
        call = Call.cas(key, lastSeen.getOrDefault(key, "none"), value);
      } else if (dice < 95) {
        call = Call.create(key, value);
      } else {
        call = Call.delete(key);
      }
      KvOp op = execute(http, client, m, call);
      if (op == null) {
        FaultCluster.sleep(50);
        continue;
      }
      Node node = op.result().node();
      if (node != null && node.value() != null) {
        lastSeen.put(key, node.value());
      }
      if (op.unknown()) {
        FaultCluster.sleep(20);
      }
    }
  }

  /**
   * Runs one operation against {@code m} and records it; answers null (and records nothing) if the
   * request was certainly never sent.
   */
  @Nullable KvOp execute(MemberHttp http, int client, Member m, Call call) {
    String path = "/v2/keys" + call.key();
    String method;
    @Nullable String form;
    switch (call.kind()) {
      case READ -> {
        method = "GET";
        path += "?quorum=true";
        form = null;
      }
      case WRITE -> {
        method = "PUT";
        form = "value=" + enc(call.value());
      }
      case CAS -> {
        method = "PUT";
        form = "value=" + enc(call.value()) + "&prevValue=" + enc(call.expected());
      }
      case CREATE -> {
        method = "PUT";
        form = "value=" + enc(call.value()) + "&prevExist=false";
      }
      default -> {
        method = "DELETE";
        form = null;
      }
    }
    long invoke = System.nanoTime();
    Result result;
    try {
      MemberHttp.Reply r = http.send(m.base(), method, path, form, TIMEOUT);
      result = classify(r);
    } catch (ConnectException | HttpConnectTimeoutException e) {
      notSent.incrementAndGet();
      return null;
    } catch (IOException e) {
      result = Result.unknown(e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result = Result.unknown("interrupted");
    }
    long complete = result.status() == KvOp.Status.UNKNOWN ? Long.MAX_VALUE : System.nanoTime();
    KvOp op = new KvOp(ids.getAndIncrement(), client, m.name, call, invoke, complete, result);
    history.add(op);
    return op;
  }

  private static Result classify(MemberHttp.Reply r) {
    int code = r.status() >= 400 ? r.errorCode() : 0;
    if (r.status() == 200 || r.status() == 201) {
      JsonNode body = r.json();
      JsonNode node = body.path("node");
      JsonNode prev = body.get("prevNode");
      return Result.ok(
          new Node(FaultCluster.text(node, "value"), node.path("modifiedIndex").asLong(-1)),
          prev == null
              ? null
              : new Node(FaultCluster.text(prev, "value"), prev.path("modifiedIndex").asLong(-1)));
    }
    if ((r.status() == 404 && code == 100) || (r.status() == 412 && (code == 101 || code == 105))) {
      return Result.failed(code);
    }
    return Result.unknown(r.toString());
  }

  private static String enc(@Nullable String s) {
    return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
  }
}
