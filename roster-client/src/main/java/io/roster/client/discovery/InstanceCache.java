package io.roster.client.discovery;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.roster.api.Action;
import io.roster.api.ErrorCode;
import io.roster.client.GetOptions;
import io.roster.client.KeyResponse;
import io.roster.client.Node;
import io.roster.client.RosterClient;
import io.roster.client.RosterException;
import io.roster.client.Watch;
import io.roster.client.WatchEvent;
import io.roster.client.WatchOptions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current instances under one prefix ({@code /services/SERVICE} or {@code
 * /services/SERVICE/DATACENTER}), kept by one recursive read and then a gap-free watch from the
 * read's index (see {@link Watch}).
 *
 * <p><b>Stale on error.</b> Only the registry's own answers change the list: events, and after a
 * 401 a resync snapshot. A registry outage leaves the last known list in place (the watch keeps
 * retrying), so an outage never empties it. Entries that are not instances (bad JSON, wrong depth)
 * are left out and logged; an entry that turns bad is removed.
 *
 * <p>Thread-safe. {@link #instances()} never blocks and returns an immutable list sorted by key.
 * Listeners run on the watch thread after the list is updated.
 */
public final class InstanceCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceCache.class);

  private final String root;
  private final String prefix;
  private final List<InstanceListener> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();

  @GuardedBy("lock")
  private final TreeMap<String, ServiceInstance> byKey = new TreeMap<>();

  private volatile List<ServiceInstance> snapshot = List.of();
  private volatile long index;
  private @Nullable Watch watch;

  InstanceCache(String root, String prefix) {
    this.root = root;
    this.prefix = prefix;
  }

  /** Initial read, then the watch; blocks for the read. */
  void start(RosterClient client) {
    long at;
    try {
      KeyResponse r = client.get(prefix, GetOptions.defaults().withRecursive(true));
      synchronized (lock) {
        replace(r.node());
      }
      at = r.etcdIndex();
    } catch (RosterException e) {
      if (e.code() != ErrorCode.KEY_NOT_FOUND) {
        throw e;
      }
      at = e.index();
    }
    index = at;
    watch =
        client.watch(
            prefix, WatchOptions.defaults().withRecursive(true).withFromIndex(at + 1), this::apply);
  }

  /** The current instances, sorted by key. Immutable; never blocks. */
  public List<ServiceInstance> instances() {
    return snapshot;
  }

  /** The store index the list reflects (the last event or snapshot applied). */
  public long index() {
    return index;
  }

  /** Adds a listener for later changes (not called for instances already present). */
  public void addListener(InstanceListener listener) {
    listeners.add(Objects.requireNonNull(listener));
  }

  /** Removes a listener. */
  public void removeListener(InstanceListener listener) {
    listeners.remove(listener);
  }

  /** Stops the watch; the list stays as it was. Idempotent. */
  @Override
  public void close() {
    Watch w = watch;
    if (w != null) {
      w.close();
    }
  }

  private void apply(WatchEvent event) {
    List<ServiceInstance[]> changes;
    synchronized (lock) {
      Map<String, ServiceInstance> before = new TreeMap<>(byKey);
      if (event instanceof WatchEvent.Resync) {
        WatchEvent.Resync r = (WatchEvent.Resync) event;
        Node n = r.snapshot();
        if (n == null) {
          byKey.clear();
        } else {
          replace(n);
        }
        index = r.etcdIndex();
      } else {
        WatchEvent.Change c = (WatchEvent.Change) event;
        change(c);
        index = c.index();
      }
      changes = diff(before, byKey);
      snapshot = List.copyOf(byKey.values());
    }
    for (ServiceInstance[] ch : changes) {
      for (InstanceListener l : listeners) {
        try {
          if (ch[0] == null) {
            l.onAdded(ch[1]);
          } else if (ch[1] == null) {
            l.onRemoved(ch[0]);
          } else {
            l.onChanged(ch[0], ch[1]);
          }
        } catch (RuntimeException e) {
          LOG.warn("instance listener failed", e);
        }
      }
    }
  }

  @GuardedBy("lock")
  private void change(WatchEvent.Change c) {
    Node n = c.node();
    Action a = c.action();
    if (a == Action.DELETE || a == Action.EXPIRE || a == Action.COMPARE_AND_DELETE) {
      byKey.remove(n.key());
      Iterator<String> it = byKey.tailMap(n.key() + "/", true).keySet().iterator();
      while (it.hasNext()) {
        if (!it.next().startsWith(n.key() + "/")) {
          break;
        }
        it.remove();
      }
    } else if (!n.dir()) {
      ServiceInstance i = parse(n);
      if (i == null) {
        byKey.remove(n.key());
      } else {
        byKey.put(n.key(), i);
      }
    }
  }

  @GuardedBy("lock")
  private void replace(Node tree) {
    byKey.clear();
    snapshot = List.of();
    collect(tree);
    snapshot = List.copyOf(byKey.values());
  }

  @GuardedBy("lock")
  private void collect(Node n) {
    if (n.dir()) {
      for (Node c : n.nodes()) {
        collect(c);
      }
    } else {
      ServiceInstance i = parse(n);
      if (i != null) {
        byKey.put(n.key(), i);
      }
    }
  }

  private @Nullable ServiceInstance parse(Node n) {
    String v = n.value();
    if (v == null) {
      return null;
    }
    try {
      return ServiceInstance.parse(root, n.key(), v);
    } catch (IllegalArgumentException e) {
      LOG.warn("ignoring {}: {}", n.key(), e.getMessage());
      return null;
    }
  }

  private static List<ServiceInstance[]> diff(
      Map<String, ServiceInstance> before, Map<String, ServiceInstance> after) {
    List<ServiceInstance[]> out = new ArrayList<>();
    before.forEach(
        (k, old) -> {
          ServiceInstance now = after.get(k);
          if (now == null) {
            out.add(new ServiceInstance[] {old, null});
          } else if (!now.equals(old)) {
            out.add(new ServiceInstance[] {old, now});
          }
        });
    after.forEach(
        (k, now) -> {
          if (!before.containsKey(k)) {
            out.add(new ServiceInstance[] {null, now});
          }
        });
    return out;
  }
}
