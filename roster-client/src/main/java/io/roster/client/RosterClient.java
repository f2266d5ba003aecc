package io.roster.client;

import io.roster.client.internal.Endpoints;
import io.roster.client.internal.HttpTransport;
import io.roster.client.internal.MemberRefresher;
import io.roster.client.internal.RawResponse;
import io.roster.client.internal.WatchLoop;
import io.roster.client.internal.Wire;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * A client of the etcd v2 keys API (Roster, or etcd 3.4 with {@code --enable-v2}), built with
 * {@link #builder()}.
 *
 * <p><b>Forms.</b> Every operation comes as {@code fooAsync}, returning a {@link
 * CompletableFuture}, and as blocking {@code foo}. A future fails with, and a blocking call throws,
 * exactly one of: {@link RosterException} (the server answered with an etcd error; nothing was
 * applied, except that 300 on a write leaves it unknown), {@link OutcomeUnknownException} (a write
 * was sent and its answer lost: it may have been applied), {@link RosterTransportException} (no
 * usable answer; nothing was applied). Futures complete on the client's executor.
 *
 * <p><b>Endpoints.</b> Requests go to one pinned endpoint. When its connection fails the next one
 * is pinned and the request goes there too if that is safe: reads always, writes only when the
 * connection was never established; a write that was sent is never resent (see {@link
 * OutcomeUnknownException}). Each attempt is bounded by the request timeout, so a call takes at
 * most (endpoints × request timeout). The list is refreshed from {@code GET /v2/members} every
 * member-refresh interval.
 *
 * <p><b>Keys</b> are absolute paths ({@code /a/b}); a missing leading slash is added. Each segment
 * is percent-encoded.
 *
 * <p>Thread-safe; one client per application is the intent. {@link #close()} stops the member
 * refresh and every watch this client started.
 */
public final class RosterClient implements AutoCloseable {
  private final HttpTransport transport;
  private final Duration requestTimeout;
  private final Duration watchPollTimeout;
  private final @Nullable ScheduledExecutorService scheduler;
  private final @Nullable MemberRefresher refresher;
  private final Set<Watch> watches = ConcurrentHashMap.newKeySet();

  private RosterClient(Builder b) {
    this.requestTimeout = b.requestTimeout;
    this.watchPollTimeout = b.watchPollTimeout;
    HttpClient.Builder hb =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(
                b.connectTimeout.compareTo(b.requestTimeout) < 0
                    ? b.connectTimeout
                    : b.requestTimeout);
    Executor ex = b.executor;
    if (ex != null) {
      hb.executor(ex);
    }
    this.transport =
        new HttpTransport(
            new Endpoints(b.endpoints), hb.build(), requestTimeout, b.maxResponseBytes);
    if (b.memberRefreshInterval.isZero()) {
      this.scheduler = null;
      this.refresher = null;
    } else {
      ScheduledExecutorService s =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "roster-client-members");
                t.setDaemon(true);
                return t;
              });
      this.scheduler = s;
      this.refresher = new MemberRefresher(transport, s, b.memberRefreshInterval.toMillis());
    }
  }

  /** A builder with no endpoints yet. */
  public static Builder builder() {
    return new Builder();
  }

  /** The endpoints in use, the pinned one first. Thread-safe snapshot. */
  public List<URI> endpoints() {
    return transport.endpoints().inTryOrder();
  }

  // ---- reads ----

  /** Reads {@code key}. See {@link #get}. */
  public CompletableFuture<KeyResponse> getAsync(String key, GetOptions options) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("recursive", Boolean.toString(options.recursive()));
    q.put("sorted", Boolean.toString(options.sorted()));
    q.put("quorum", Boolean.toString(options.quorum()));
    return call("GET", key, q, null, false);
  }

  /**
   * Reads {@code key}: its value, or for a directory its children (the whole subtree if recursive).
   * Blocks for at most (endpoints × request timeout).
   *
   * @throws RosterException {@code 100} if the key does not exist
   * @throws RosterTransportException if no endpoint answered
   */
  public KeyResponse get(String key, GetOptions options) {
    return await(getAsync(key, options), false);
  }

  /** Reads {@code key} from one endpoint. See {@link #getAt}. */
  public CompletableFuture<KeyResponse> getAtAsync(URI endpoint, String key, GetOptions options) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("recursive", Boolean.toString(options.recursive()));
    q.put("sorted", Boolean.toString(options.sorted()));
    q.put("quorum", Boolean.toString(options.quorum()));
    String target = Wire.keyPath(key) + "?" + Wire.form(q);
    return HttpTransport.within(
            transport.sendOnce(endpoint, target, requestTimeout), requestTimeout, "GET " + endpoint)
        .handle(
            (resp, err) -> {
              if (err != null) {
                Throwable t = HttpTransport.unwrap(err);
                throw new RosterTransportException(
                    endpoint + " did not answer GET " + target + " (" + t + ")", t);
              }
              return decode(
                  new RawResponse(endpoint, resp.statusCode(), resp.headers(), resp.body()));
            });
  }

  /**
   * Reads {@code key} from {@code endpoint} only: no pinning, no failover, the endpoint need not be
   * in this client's list. With a non-quorum read this is what that member has applied (its {@code
   * X-Etcd-Index}), which tells whether a write has reached it. Blocks for at most one request
   * timeout.
   *
   * @throws RosterException {@code 100} if the key does not exist there
   * @throws RosterTransportException if the endpoint did not answer (down, slow, not etcd)
   */
  public KeyResponse getAt(URI endpoint, String key, GetOptions options) {
    return await(getAtAsync(endpoint, key, options), false);
  }

  /** Lists a directory. See {@link #list}. */
  public CompletableFuture<List<Node>> listAsync(String dir) {
    return getAsync(dir, GetOptions.defaults().withSorted(true)).thenApply(r -> r.node().nodes());
  }

  /**
   * The direct children of a directory, sorted by key (child directories without their own
   * children). Blocks like {@link #get}.
   *
   * @throws RosterException {@code 100} if the directory does not exist
   * @throws RosterTransportException if no endpoint answered
   */
  public List<Node> list(String dir) {
    return await(listAsync(dir), false);
  }

  // ---- writes ----

  /** Sets a value. See {@link #set}. */
  public CompletableFuture<KeyResponse> setAsync(String key, String value, WriteOptions options) {
    return put(key, value, options, Map.of());
  }

  /**
   * Sets {@code key} to {@code value} whether or not it exists (action {@code set}); creates
   * missing parent directories. Blocks for at most (endpoints × request timeout).
   *
   * @throws RosterException e.g. {@code 102} if the key is a directory
   * @throws OutcomeUnknownException if the write may or may not have been applied
   * @throws RosterTransportException if it was certainly not applied
   */
  public KeyResponse set(String key, String value, WriteOptions options) {
    return await(setAsync(key, value, options), true);
  }

  /** Creates a key that must not exist. See {@link #create}. */
  public CompletableFuture<KeyResponse> createAsync(
      String key, String value, WriteOptions options) {
    return put(key, value, options, Map.of("prevExist", "false"));
  }

  /**
   * Creates {@code key} only if it does not exist ({@code prevExist=false}, action {@code create}).
   * Blocks like {@link #set}.
   *
   * @throws RosterException {@code 105} if it exists
   * @throws OutcomeUnknownException if the write may or may not have been applied
   * @throws RosterTransportException if it was certainly not applied
   */
  public KeyResponse create(String key, String value, WriteOptions options) {
    return await(createAsync(key, value, options), true);
  }

  /** Updates a key that must exist. See {@link #update}. */
  public CompletableFuture<KeyResponse> updateAsync(
      String key, String value, WriteOptions options) {
    return put(key, value, options, Map.of("prevExist", "true"));
  }

  /**
   * Updates {@code key} only if it exists ({@code prevExist=true}, action {@code update}); keeps
   * its createdIndex. Blocks like {@link #set}.
   *
   * @throws RosterException {@code 100} if it does not exist
   * @throws OutcomeUnknownException if the write may or may not have been applied
   * @throws RosterTransportException if it was certainly not applied
   */
  public KeyResponse update(String key, String value, WriteOptions options) {
    return await(updateAsync(key, value, options), true);
  }

  /** Compare-and-swap. See {@link #compareAndSwap}. */
  public CompletableFuture<KeyResponse> compareAndSwapAsync(
      String key, String value, Compare compare, WriteOptions options) {
    return put(key, value, options, conditions(compare));
  }

  /**
   * Sets {@code key} to {@code value} only if its current value and/or modifiedIndex match {@code
   * compare} (action {@code compareAndSwap}). Blocks like {@link #set}.
   *
   * @throws RosterException {@code 101} if the comparison failed, {@code 100} if the key is missing
   * @throws OutcomeUnknownException if the write may or may not have been applied
   * @throws RosterTransportException if it was certainly not applied
   */
  public KeyResponse compareAndSwap(
      String key, String value, Compare compare, WriteOptions options) {
    return await(compareAndSwapAsync(key, value, compare, options), true);
  }

  /** Resets a TTL. See {@link #refresh}. */
  public CompletableFuture<KeyResponse> refreshAsync(String key, Duration ttl) {
    return put(key, "", new WriteOptions(ttl, true), Map.of("prevExist", "true"));
  }

  /**
   * Resets the TTL of an existing key to {@code ttl}, keeping its value, without notifying watchers
   * ({@code refresh=true&prevExist=true}, action {@code update}). Blocks like {@link #set}.
   *
   * @throws RosterException {@code 100} if the key is gone (e.g. expired)
   * @throws OutcomeUnknownException if the refresh may or may not have been applied
   * @throws RosterTransportException if it was certainly not applied
   */
  public KeyResponse refresh(String key, Duration ttl) {
    return await(refreshAsync(key, ttl), true);
  }

  /** Creates a directory. See {@link #mkdir}. */
  public CompletableFuture<KeyResponse> mkdirAsync(String key, WriteOptions options) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("dir", "true");
    q.put("prevExist", "false");
    return call("PUT", key, q, body(null, options), true);
  }

  /**
   * Creates the directory {@code key} if nothing exists there (action {@code create}). Blocks like
   * {@link #set}.
   *
   * @throws RosterException {@code 105} if a key or directory exists
   * @throws OutcomeUnknownException if the write may or may not have been applied
   * @throws RosterTransportException if it was certainly not applied
   */
  public KeyResponse mkdir(String key, WriteOptions options) {
    return await(mkdirAsync(key, options), true);
  }

  /** Sets a directory. See {@link #setDir}. */
  public CompletableFuture<KeyResponse> setDirAsync(String key, WriteOptions options) {
    return call("PUT", key, Map.of("dir", "true"), body(null, options), true);
  }

  /**
   * Puts an empty directory at {@code key} ({@code dir=true}, action {@code set}): creates it, or
   * replaces the key (not directory) that is there, which then is the answer's prevNode. As in
   * etcd, an existing directory is left alone and the call fails; {@link #updateDir} changes its
   * TTL. Blocks like {@link #set}.
   *
   * @throws RosterException {@code 102} if a directory exists there
   * @throws OutcomeUnknownException if the write may or may not have been applied
   * @throws RosterTransportException if it was certainly not applied
   */
  public KeyResponse setDir(String key, WriteOptions options) {
    return await(setDirAsync(key, options), true);
  }

  /** Updates a directory. See {@link #updateDir}. */
  public CompletableFuture<KeyResponse> updateDirAsync(String key, WriteOptions options) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("dir", "true");
    q.put("prevExist", "true");
    return call("PUT", key, q, body(null, options), true);
  }

  /**
   * Sets the TTL of the existing directory {@code key} ({@code dir=true&prevExist=true}, action
   * {@code update}; a TTL-less write makes it permanent). Blocks like {@link #set}.
   *
   * @throws RosterException {@code 100} if it does not exist, {@code 102} if it is a key
   * @throws OutcomeUnknownException if the write may or may not have been applied
   * @throws RosterTransportException if it was certainly not applied
   */
  public KeyResponse updateDir(String key, WriteOptions options) {
    return await(updateDirAsync(key, options), true);
  }

  /** Creates an in-order key. See {@link #createInOrder}. */
  public CompletableFuture<KeyResponse> createInOrderAsync(
      String dir, String value, WriteOptions options) {
    return call("POST", dir, Map.of(), body(value, options), true);
  }

  /**
   * Creates a new key under {@code dir} named after the write's index, zero-padded to 20 digits, so
   * keys sort in creation order (POST, action {@code create}). Blocks like {@link #set}; an unknown
   * outcome may have created a key, and a resend would create another.
   *
   * @throws RosterException {@code 104} if {@code dir} is a key
   * @throws OutcomeUnknownException if the write may or may not have been applied
   * @throws RosterTransportException if it was certainly not applied
   */
  public KeyResponse createInOrder(String dir, String value, WriteOptions options) {
    return await(createInOrderAsync(dir, value, options), true);
  }

  // ---- deletes ----

  /** Deletes a key. See {@link #delete}. */
  public CompletableFuture<KeyResponse> deleteAsync(String key) {
    return call("DELETE", key, Map.of(), null, true);
  }

  /**
   * Deletes the key {@code key} (not a directory; action {@code delete}). Blocks like {@link #set}.
   *
   * @throws RosterException {@code 100} if missing, {@code 102} if it is a directory
   * @throws OutcomeUnknownException if the delete may or may not have been applied
   * @throws RosterTransportException if it was certainly not applied
   */
  public KeyResponse delete(String key) {
    return await(deleteAsync(key), true);
  }

  /** Deletes a directory. See {@link #deleteDir}. */
  public CompletableFuture<KeyResponse> deleteDirAsync(String key, boolean recursive) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("dir", "true");
    if (recursive) {
      q.put("recursive", "true");
    }
    return call("DELETE", key, q, null, true);
  }

  /**
   * Deletes the directory {@code key}, which must be empty unless {@code recursive}. Blocks like
   * {@link #set}.
   *
   * @throws RosterException {@code 100} if missing, {@code 108} if not empty and not recursive
   * @throws OutcomeUnknownException if the delete may or may not have been applied
   * @throws RosterTransportException if it was certainly not applied
   */
  public KeyResponse deleteDir(String key, boolean recursive) {
    return await(deleteDirAsync(key, recursive), true);
  }

  /** Compare-and-delete. See {@link #compareAndDelete}. */
  public CompletableFuture<KeyResponse> compareAndDeleteAsync(String key, Compare compare) {
    return call("DELETE", key, conditions(compare), null, true);
  }

  /**
   * Deletes {@code key} only if its value and/or modifiedIndex match (action {@code
   * compareAndDelete}). Blocks like {@link #set}.
   *
   * @throws RosterException {@code 101} if the comparison failed, {@code 100} if missing
   * @throws OutcomeUnknownException if the delete may or may not have been applied
   * @throws RosterTransportException if it was certainly not applied
   */
  public KeyResponse compareAndDelete(String key, Compare compare) {
    return await(compareAndDeleteAsync(key, compare), true);
  }

  // ---- watches ----

  /**
   * Starts a queue-mode watch on {@code key} (and its descendants if recursive). With {@code
   * fromIndex} 0 it first reads the key once to fix the starting index, so every change committed
   * after this method returns is delivered; that read blocks like {@link #get}.
   *
   * @throws RosterException for an etcd error other than 100 on the starting read
   * @throws RosterTransportException if no endpoint answered the starting read
   */
  public Watch watch(String key, WatchOptions options) {
    long from = startIndex(key, options);
    return track(
        Watch.queued(sink -> loop(key, options, from, sink), key, options.queueCapacity()));
  }

  /**
   * Starts a listener-mode watch: like {@link #watch(String, WatchOptions)}, but events go to
   * {@code listener} on the watch's thread (the queue capacity is not used).
   *
   * @throws RosterException for an etcd error other than 100 on the starting read
   * @throws RosterTransportException if no endpoint answered the starting read
   */
  public Watch watch(String key, WatchOptions options, WatchListener listener) {
    long from = startIndex(key, options);
    return track(Watch.listening(sink -> loop(key, options, from, sink), key, listener));
  }

  private long startIndex(String key, WatchOptions options) {
    return options.fromIndex() > 0
        ? options.fromIndex()
        : WatchLoop.currentIndex(transport, key) + 1;
  }

  private WatchLoop loop(String key, WatchOptions options, long from, WatchLoop.Sink sink) {
    return new WatchLoop(
        transport, key, options.recursive(), from, requestTimeout, watchPollTimeout, sink);
  }

  private Watch track(Watch w) {
    watches.removeIf(x -> !x.isOpen());
    watches.add(w);
    return w;
  }

  // ---- members ----

  /**
   * Reads {@code /v2/members} now and updates the endpoint list with the members' client URLs.
   * Blocks like {@link #get}.
   *
   * @return the client URLs the cluster reported
   * @throws RosterTransportException if no endpoint answered
   * @throws InterruptedException if interrupted while waiting
   */
  public List<URI> refreshMembers() throws InterruptedException {
    return MemberRefresher.refresh(transport);
  }

  /** The members API ({@code /v2/members}, {@code /health}) over this client's endpoints. */
  public Members members() {
    return new Members(transport, requestTimeout);
  }

  /** Stops the member refresh and closes every watch of this client. Idempotent. */
  @Override
  public void close() {
    MemberRefresher r = refresher;
    if (r != null) {
      r.close();
    }
    ScheduledExecutorService s = scheduler;
    if (s != null) {
      s.shutdownNow();
    }
    for (Watch w : new ArrayList<>(watches)) {
      w.close();
    }
    watches.clear();
  }

  // ---- plumbing ----

  private CompletableFuture<KeyResponse> put(
      String key, String value, WriteOptions options, Map<String, String> query) {
    return call("PUT", key, query, body(value, options), true);
  }

  private static Map<String, String> conditions(Compare compare) {
    Map<String, String> q = new LinkedHashMap<>();
    String pv = compare.prevValue();
    if (pv != null) {
      q.put("prevValue", pv);
    }
    if (compare.prevIndex() > 0) {
      q.put("prevIndex", Long.toString(compare.prevIndex()));
    }
    return q;
  }

  private static String body(@Nullable String value, WriteOptions options) {
    Map<String, String> form = new LinkedHashMap<>();
    if (value != null && !(options.refresh() && value.isEmpty())) {
      form.put("value", value);
    }
    long ttl = options.ttlSeconds();
    if (ttl >= 0) {
      form.put("ttl", Long.toString(ttl));
    }
    if (options.refresh()) {
      form.put("refresh", "true");
    }
    return Wire.form(form);
  }

  private CompletableFuture<KeyResponse> call(
      String method, String key, Map<String, String> query, @Nullable String form, boolean write) {
    String q = Wire.form(query);
    String target = Wire.keyPath(key) + (q.isEmpty() ? "" : "?" + q);
    return transport.send(method, target, form, write).thenApply(RosterClient::decode);
  }

  private static KeyResponse decode(RawResponse r) {
    return Wire.keyResponse(r);
  }

  private static <T> T await(CompletableFuture<T> f, boolean write) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(true);
      throw write
          ? new OutcomeUnknownException("interrupted while waiting for a write", e)
          : new RosterTransportException("interrupted while waiting for a read", e);
    } catch (ExecutionException e) {
      Throwable t = HttpTransport.unwrap(e);
      if (t instanceof RuntimeException) {
        throw (RuntimeException) t;
      }
      throw new RosterTransportException(t.toString(), t);
    }
  }

  /**
   * Configures a {@link RosterClient}. Not thread-safe; {@link #build()} may be called more than
   * once.
   */
  public static final class Builder {
    private final List<URI> endpoints = new ArrayList<>();
    private Duration requestTimeout = Duration.ofSeconds(5);
    private Duration connectTimeout = Duration.ofSeconds(1);
    private Duration watchPollTimeout = Duration.ofMinutes(5);
    private Duration memberRefreshInterval = Duration.ofSeconds(30);
    private long maxResponseBytes = HttpTransport.DEFAULT_MAX_RESPONSE_BYTES;
    private @Nullable Executor executor;

    private Builder() {}

    /** Adds endpoints, e.g. {@code http://127.0.0.1:2379}; tried in this order. */
    public Builder endpoints(URI... uris) {
      return endpoints(List.of(uris));
    }

    /** Adds endpoints; tried in this order. */
    public Builder endpoints(List<URI> uris) {
      for (URI u : uris) {
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
          throw new IllegalArgumentException("not an http(s) endpoint: " + u);
        }
        endpoints.add(u);
      }
      return this;
    }

    /** Bound on each attempt of a request (default 5 s). */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout);
      return this;
    }

    /** Bound on establishing a connection (default 1 s, at most the request timeout). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout);
      return this;
    }

    /**
     * How long one watch poll may wait for an event before it is cancelled and re-issued from the
     * same index (default 5 min); bounds how long a silently dead connection goes unnoticed.
     */
    public Builder watchPollTimeout(Duration timeout) {
      this.watchPollTimeout = positive(timeout);
      return this;
    }

    /** How often to refresh endpoints from {@code /v2/members} (default 30 s; zero: never). */
    public Builder memberRefreshInterval(Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException("negative interval " + interval);
      }
      this.memberRefreshInterval = interval;
      return this;
    }

    /**
     * Bound on the body of one answer (default 64 MiB). A longer answer fails the request like a
     * broken connection: the endpoint is treated as not etcd-compatible.
     */
    public Builder maxResponseBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("must be positive: " + bytes);
      }
      this.maxResponseBytes = bytes;
      return this;
    }

    /** Where HTTP work and future completions run (default: the JDK HTTP client's own pool). */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor);
      return this;
    }

    /**
     * A client with this configuration; starts the member refresh.
     *
     * @throws IllegalArgumentException if no endpoint was given
     */
    public RosterClient build() {
      if (endpoints.isEmpty()) {
        throw new IllegalArgumentException("no endpoints");
      }
      return new RosterClient(this);
    }

    private static Duration positive(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("must be positive: " + d);
      }
      return d;
    }
  }
}
