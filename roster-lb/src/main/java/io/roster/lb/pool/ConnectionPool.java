package io.roster.lb.pool;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.roster.lb.Scheduler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The connections to one endpoint, each carrying one request at a time (HTTP/1.1 without
 * pipelining).
 *
 * <p>Why not Netty's {@code FixedChannelPool}: it has the limits and the LIFO order, but no idle or
 * lifetime eviction, and Netty drops channel pools in Netty 5 ({@code client-resilience.md} §10).
 * So this is a small pool with the same shape, after Finagle's watermark/caching pools and Reactor
 * Netty's {@code ConnectionProvider}:
 *
 * <ul>
 *   <li><b>Bounded everything.</b> At most {@code maxConnections} open or opening, at most {@code
 *       maxPending} requests waiting; the next one fails at once with {@link
 *       PoolOverflowException}, a {@link io.roster.lb.NotSentException} the retry layer may requeue
 *       elsewhere. A waiter that gets nothing within {@code acquireTimeout} fails with {@link
 *       AcquireTimeoutException}. Waiters are served first come, first served; a new request never
 *       overtakes one already waiting.
 *   <li><b>LIFO reuse.</b> Released connections go on top of the idle stack and acquires take from
 *       the top, so a warm core of connections carries the traffic and the rest age out through the
 *       idle timeout instead of being kept barely alive by round-robin reuse.
 *   <li><b>Idle timeout and jittered lifetime.</b> Each connection gets a lifetime of {@code
 *       maxLifetime} ± {@code lifetimeJitter}, fixed when it opens; it is closed at its first
 *       release or sweep after that, so that load rebalances onto endpoints that joined later (the
 *       gRPC MAX_CONNECTION_AGE lesson) without all connections closing at once. A periodic sweep
 *       closes idle connections past either limit; acquires skip them too.
 *   <li><b>Eager warm-up.</b> {@link #warmUp} opens connections before the first request needs
 *       them.
 *   <li><b>Graceful close.</b> {@link #close()} fails waiters and closes idle connections at once;
 *       a connection in use is closed when its request ends, so closing the pool of an endpoint
 *       that left the balancer never cuts a request short.
 * </ul>
 *
 * <p>A new connection goes to the request whose acquire opened it; if that request has meanwhile
 * timed out or been cancelled, the connection is released like any other and serves the next
 * waiter. Connection failures fail only the request that opened the connection (with {@link
 * ConnectFailedException}); capacity freed by a failure or a close is used to open connections for
 * waiters.
 *
 * <p>Thread-safe and non-blocking: state sits behind one lock held for a few deque operations;
 * futures are completed, and connections opened and closed, outside it.
 *
 * @param <C> the connection type
 */
public final class ConnectionPool<C extends PooledConnection> implements AutoCloseable {
  private static final int IDLE = 0;
  private static final int LEASED = 1;
  private static final int CLOSED = 2;

  private final String endpoint;
  private final Connector<C> connector;
  private final PoolSettings settings;
  private final LongSupplier clock;
  private final Scheduler scheduler;
  private final Supplier<RandomGenerator> random;
  private final PoolListener listener;
  private final long sweepNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final LongAdder overflows = new LongAdder();
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder connectFailures = new LongAdder();
  private final LongAdder created = new LongAdder();
  private final LongAdder destroyed = new LongAdder();

  @GuardedBy("lock")
  private final ArrayDeque<Slot<C>> idle = new ArrayDeque<>();

  @GuardedBy("lock")
  private final ArrayDeque<Waiter<C>> waiters = new ArrayDeque<>();

  @GuardedBy("lock")
  private int total;

  @GuardedBy("lock")
  private int opening;

  @GuardedBy("lock")
  private int pendingHighWater;

  @GuardedBy("lock")
  private boolean closed;

  private ConnectionPool(Builder<C> b) {
    this.endpoint = b.endpoint;
    this.connector = b.connector;
    this.settings = b.settings;
    this.clock = b.clock;
    this.scheduler = b.scheduler;
    this.random = b.random;
    this.listener = b.listener;
    long shortest = Math.min(settings.idleTimeout().toNanos(), settings.maxLifetime().toNanos());
    this.sweepNanos = Math.max(1_000_000L, Math.min(1_000_000_000L, shortest / 2));
    scheduler.schedule(sweepNanos, this::sweep);
  }

  /**
   * A builder for the pool of {@code endpoint} ({@code host:port}, used in messages and metrics),
   * opening connections with {@code connector} and running timeouts and sweeps on {@code
   * scheduler}.
   */
  public static <C extends PooledConnection> Builder<C> newBuilder(
      String endpoint, Connector<C> connector, Scheduler scheduler) {
    return new Builder<>(endpoint, connector, scheduler);
  }

  /** The endpoint this pool connects to, as {@code host:port}. */
  public String endpoint() {
    return endpoint;
  }

  /** The limits this pool enforces. */
  public PoolSettings settings() {
    return settings;
  }

  /**
   * A connection for one request: an idle one if there is one, else a new one if under the limit,
   * else a place in the bounded queue. Never blocks.
   *
   * @return a stage completed with a {@link Lease} that must be released or discarded exactly once,
   *     or failed with {@link PoolOverflowException} (at once), {@link AcquireTimeoutException},
   *     {@link ConnectFailedException} or {@link PoolClosedException}. Cancelling the returned
   *     future gives up the request's place; a connection that arrives later goes to the next one.
   */
  public CompletableFuture<Lease<C>> acquire() {
    long now = clock.getAsLong();
    Waiter<C> waiter = new Waiter<>(now);
    List<C> toClose = new ArrayList<>(0);
    Slot<C> reused = null;
    boolean connect = false;
    RuntimeException rejected = null;
    lock.lock();
    try {
      if (closed) {
        rejected = new PoolClosedException(endpoint);
      } else if (waiters.isEmpty() && (reused = pollIdleLocked(now, toClose)) != null) {
        reused.state = LEASED;
      } else if (waiters.isEmpty() && total < settings.maxConnections()) {
        total++;
        opening++;
        connect = true;
      } else if (waiters.size() < settings.maxPending()) {
        waiters.addLast(waiter);
        pendingHighWater = Math.max(pendingHighWater, waiters.size());
      } else {
        rejected = new PoolOverflowException(endpoint, settings.maxPending());
      }
    } finally {
      lock.unlock();
    }
    closeAll(toClose);
    if (rejected != null) {
      if (rejected instanceof PoolOverflowException) {
        overflows.increment();
        listener.overflowed();
      }
      return CompletableFuture.failedFuture(rejected);
    }
    if (reused != null) {
      listener.acquired(0);
      return CompletableFuture.completedFuture(new Lease<>(this, reused));
    }
    scheduler.schedule(settings.acquireTimeout().toNanos(), () -> timeout(waiter));
    if (connect) {
      open(waiter);
    }
    return waiter.future;
  }

  /**
   * Opens up to {@code n} connections now (fewer if that would exceed the limit) and keeps them
   * idle. Failures are counted, not thrown. Non-blocking.
   */
  public void warmUp(int n) {
    int k;
    lock.lock();
    try {
      k = closed ? 0 : Math.max(0, Math.min(n, settings.maxConnections() - total));
      total += k;
      opening += k;
    } finally {
      lock.unlock();
    }
    for (int i = 0; i < k; i++) {
      open(null);
    }
  }

  /**
   * Fails every waiting request with {@link PoolClosedException}, closes idle connections, and
   * closes each connection in use when its request ends. Later acquires fail. Idempotent.
   */
  @Override
  public void close() {
    List<C> toClose = new ArrayList<>();
    List<Waiter<C>> toFail;
    lock.lock();
    try {
      closed = true;
      for (Slot<C> s : idle) {
        s.state = CLOSED;
        total--;
        toClose.add(s.connection);
      }
      idle.clear();
      toFail = new ArrayList<>(waiters);
      waiters.clear();
    } finally {
      lock.unlock();
    }
    closeAll(toClose);
    for (Waiter<C> w : toFail) {
      w.future.completeExceptionally(new PoolClosedException(endpoint));
    }
  }

  /** Connections open or opening. */
  public int open() {
    lock.lock();
    try {
      return total;
    } finally {
      lock.unlock();
    }
  }

  /** Connections open and idle. */
  public int idle() {
    lock.lock();
    try {
      return idle.size();
    } finally {
      lock.unlock();
    }
  }

  /** Connections carrying a request (or handed to one). */
  public int leased() {
    lock.lock();
    try {
      return total - opening - idle.size();
    } finally {
      lock.unlock();
    }
  }

  /** Requests waiting for a connection now; never more than {@code maxPending}. */
  public int pending() {
    lock.lock();
    try {
      return waiters.size();
    } finally {
      lock.unlock();
    }
  }

  /** The most requests ever waiting at once; never more than {@code maxPending}. */
  public int pendingHighWater() {
    lock.lock();
    try {
      return pendingHighWater;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the pool is closed and every connection it opened is closed too. */
  public boolean drained() {
    lock.lock();
    try {
      return closed && total == 0;
    } finally {
      lock.unlock();
    }
  }

  /** Acquires refused because the queue was full. */
  public long overflows() {
    return overflows.sum();
  }

  /** Acquires that timed out. */
  public long timeouts() {
    return timeouts.sum();
  }

  /** Connections that could not be opened. */
  public long connectFailures() {
    return connectFailures.sum();
  }

  /** Connections opened. */
  public long created() {
    return created.sum();
  }

  /** Connections closed by the pool (expired, idle, broken, or at close). */
  public long destroyed() {
    return destroyed.sum();
  }

  void release(Slot<C> slot, boolean reusable) {
    Slot<C> s = slot;
    boolean reuse = reusable;
    while (true) {
      long now = clock.getAsLong();
      Waiter<C> handTo = null;
      boolean close = false;
      List<Waiter<C>> toOpen = List.of();
      lock.lock();
      try {
        if (s.state != LEASED) {
          return;
        }
        if (!reuse || closed || !s.connection.isOpen() || now - s.expiresAt >= 0) {
          s.state = CLOSED;
          total--;
          close = true;
          toOpen = fillLocked();
        } else if ((handTo = waiters.pollFirst()) == null) {
          s.state = IDLE;
          s.idleSince = now;
          idle.addFirst(s);
        }
      } finally {
        lock.unlock();
      }
      if (close) {
        destroyed.increment();
        s.connection.close();
      }
      openAll(toOpen);
      if (handTo == null || handTo.future.complete(new Lease<>(this, s))) {
        if (handTo != null) {
          listener.acquired(now - handTo.start);
        }
        return;
      }
      reuse = true;
    }
  }

  @GuardedBy("lock")
  private @Nullable Slot<C> pollIdleLocked(long now, List<C> toClose) {
    Slot<C> s;
    while ((s = idle.pollFirst()) != null) {
      if (usable(s, now)) {
        return s;
      }
      s.state = CLOSED;
      total--;
      toClose.add(s.connection);
    }
    return null;
  }

  private boolean usable(Slot<C> s, long now) {
    return s.connection.isOpen()
        && now - s.expiresAt < 0
        && now - s.idleSince < settings.idleTimeout().toNanos();
  }

  /** Takes waiters to open connections for while there is capacity. */
  @GuardedBy("lock")
  private List<Waiter<C>> fillLocked() {
    if (closed || waiters.isEmpty() || total >= settings.maxConnections()) {
      return List.of();
    }
    List<Waiter<C>> out = new ArrayList<>();
    while (!waiters.isEmpty() && total < settings.maxConnections()) {
      out.add(waiters.pollFirst());
      total++;
      opening++;
    }
    return out;
  }

  private void open(@Nullable Waiter<C> waiter) {
    CompletionStage<C> stage;
    try {
      stage = connector.connect();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete(
        (connection, failure) -> {
          if (failure != null || connection == null) {
            connectFailed(waiter, unwrap(failure));
          } else {
            connected(waiter, connection);
          }
        });
  }

  private void connected(@Nullable Waiter<C> waiter, C connection) {
    long now = clock.getAsLong();
    created.increment();
    double jitter = settings.lifetimeJitter() * (2 * random.get().nextDouble() - 1);
    long lifetime = (long) (settings.maxLifetime().toNanos() * (1 + jitter));
    Slot<C> slot = new Slot<>(connection, now + lifetime);
    boolean wasClosed;
    lock.lock();
    try {
      opening--;
      wasClosed = closed;
      if (wasClosed) {
        slot.state = CLOSED;
        total--;
      }
    } finally {
      lock.unlock();
    }
    if (wasClosed) {
      destroyed.increment();
      connection.close();
      if (waiter != null) {
        waiter.future.completeExceptionally(new PoolClosedException(endpoint));
      }
      return;
    }
    connection.onClose(() -> closedRemotely(slot));
    if (waiter != null && waiter.future.complete(new Lease<>(this, slot))) {
      listener.acquired(now - waiter.start);
    } else {
      release(slot, true);
    }
  }

  private void connectFailed(@Nullable Waiter<C> waiter, Throwable cause) {
    connectFailures.increment();
    List<Waiter<C>> toOpen;
    lock.lock();
    try {
      opening--;
      total--;
      toOpen = fillLocked();
    } finally {
      lock.unlock();
    }
    if (waiter != null) {
      waiter.future.completeExceptionally(new ConnectFailedException(endpoint, cause));
    }
    openAll(toOpen);
  }

  private void closedRemotely(Slot<C> slot) {
    List<Waiter<C>> toOpen = List.of();
    boolean removed = false;
    lock.lock();
    try {
      if (slot.state == IDLE) {
        idle.remove(slot);
        slot.state = CLOSED;
        total--;
        removed = true;
        toOpen = fillLocked();
      }
    } finally {
      lock.unlock();
    }
    if (removed) {
      destroyed.increment();
    }
    openAll(toOpen);
  }

  private void timeout(Waiter<C> waiter) {
    if (waiter.future.isDone()) {
      return;
    }
    lock.lock();
    try {
      waiters.remove(waiter);
    } finally {
      lock.unlock();
    }
    if (waiter.future.completeExceptionally(
        new AcquireTimeoutException(endpoint, settings.acquireTimeout()))) {
      timeouts.increment();
      listener.timedOut();
    }
  }

  private void sweep() {
    long now = clock.getAsLong();
    List<C> toClose = new ArrayList<>();
    List<Waiter<C>> toOpen;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      Iterator<Slot<C>> it = idle.descendingIterator();
      while (it.hasNext()) {
        Slot<C> s = it.next();
        if (!usable(s, now)) {
          it.remove();
          s.state = CLOSED;
          total--;
          toClose.add(s.connection);
        }
      }
      toOpen = fillLocked();
    } finally {
      lock.unlock();
    }
    closeAll(toClose);
    openAll(toOpen);
    scheduler.schedule(sweepNanos, this::sweep);
  }

  private void closeAll(List<C> connections) {
    for (C c : connections) {
      destroyed.increment();
      c.close();
    }
  }

  private void openAll(List<Waiter<C>> toOpen) {
    for (Waiter<C> w : toOpen) {
      open(w);
    }
  }

  private static Throwable unwrap(@Nullable Throwable t) {
    if (t == null) {
      return new IllegalStateException("connector returned no connection");
    }
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  static final class Slot<C> {
    final C connection;
    final long expiresAt;
    int state = LEASED;
    long idleSince;

    Slot(C connection, long expiresAt) {
      this.connection = connection;
      this.expiresAt = expiresAt;
    }
  }

  private static final class Waiter<C extends PooledConnection> {
    final long start;
    final CompletableFuture<Lease<C>> future = new CompletableFuture<>();

    Waiter(long start) {
      this.start = start;
    }
  }

  /** Configures a {@link ConnectionPool}. Not thread-safe. */
  public static final class Builder<C extends PooledConnection> {
    private final String endpoint;
    private final Connector<C> connector;
    private final Scheduler scheduler;
    private PoolSettings settings = PoolSettings.defaults();
    private LongSupplier clock = System::nanoTime;
    private Supplier<RandomGenerator> random = ThreadLocalRandom::current;
    private PoolListener listener = PoolListener.NONE;

    private Builder(String endpoint, Connector<C> connector, Scheduler scheduler) {
      this.endpoint = endpoint;
      this.connector = connector;
      this.scheduler = scheduler;
    }

    /** Limits; default {@link PoolSettings#defaults()}. */
    public Builder<C> settings(PoolSettings settings) {
      this.settings = settings;
      return this;
    }

    /** Nanosecond clock; default {@link System#nanoTime()}. */
    public Builder<C> clock(LongSupplier clock) {
      this.clock = clock;
      return this;
    }

    /** Randomness for lifetime jitter; must be thread-safe. Default thread-local. */
    public Builder<C> random(RandomGenerator random) {
      this.random = () -> random;
      return this;
    }

    /** Told about acquires, overflows and timeouts (for metrics); default none. */
    public Builder<C> listener(PoolListener listener) {
      this.listener = listener;
      return this;
    }

    /** The pool; it starts its idle sweep on the scheduler at once. */
    public ConnectionPool<C> build() {
      return new ConnectionPool<>(this);
    }
  }
}
