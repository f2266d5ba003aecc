package io.roster.store;

import io.roster.api.Action;
import io.roster.api.ErrorCode;
import java.util.ArrayDeque;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/**
 * The three etcd v2 body shapes, rendered with Go's byte-exact encoding ({@link JsonWriter}):
 *
 * <ul>
 *   <li>node (etcd {@code NodeExtern}): {@code key, value, dir, expiration, ttl, nodes,
 *       modifiedIndex, createdIndex}, each left out when empty, zero or false ({@code value} is a
 *       pointer in Go, so a file's {@code ""} is kept). The root therefore has no key and no
 *       indices. {@code ttl} is computed against the {@code now} of the rendering call;
 *   <li>event: {@code {"action","node","prevNode"}} plus a newline;
 *   <li>error: {@code {"errorCode","message","cause","index"}} plus a newline, cause left out when
 *       empty.
 * </ul>
 *
 * <p>Tree rendering is iterative, and reads nodes in place: no intermediate objects.
 */
final class Json {
  private Json() {}

  /** The node of a write event, described by value rather than read from the tree (see E8). */
  record NodeFields(
      String key,
      @Nullable String value,
      boolean dir,
      boolean expires,
      long expireAt,
      long modifiedIndex,
      long createdIndex) {}

  static byte[] errorBody(ErrorCode code, @Nullable String cause, long index) {
    JsonWriter w = new JsonWriter(96);
    w.beginObject().name("errorCode").value(code.code()).name("message").value(code.message());
    if (cause != null && !cause.isEmpty()) {
      w.name("cause").value(cause);
    }
    return w.name("index").unsignedValue(index).endObject().newline().toByteArray();
  }

  /**
   * An event body. {@code prev} is rendered as a non-recursive snapshot of its current state, so
   * callers render before they mutate it.
   */
  static byte[] event(Action action, NodeFields node, @Nullable Node prev, long now) {
    JsonWriter w = new JsonWriter(128 + node.key().length() * 2 + valueSize(node.value(), prev));
    w.beginObject().name("action").value(action.wire()).name("node").beginObject();
    head(w, node.key(), node.value(), node.dir(), node.expires(), node.expireAt(), now);
    tail(w, node.modifiedIndex(), node.createdIndex());
    w.endObject();
    if (prev != null) {
      w.name("prevNode").beginObject();
      head(w, prev, now);
      tail(w, prev.modifiedIndex, prev.createdIndex);
      w.endObject();
    }
    return w.endObject().newline().toByteArray();
  }

  /**
   * A {@code get} body. A directory always lists its visible children; with {@code recursive} the
   * whole visible subtree. Hidden children are left out at every level.
   */
  static byte[] get(Node top, boolean recursive, long now) {
    JsonWriter w = new JsonWriter(top.isDir() ? 1024 : 128 + top.value().length() * 2);
    w.beginObject().name("action").value(Action.GET.wire()).name("node");
    ArrayDeque<Frame> stack = new ArrayDeque<>();
    w.beginObject();
    head(w, top, now);
    if (top.isDir()) {
      stack.push(new Frame(top));
    } else {
      tail(w, top.modifiedIndex, top.createdIndex);
      w.endObject();
    }
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      Node child = f.nextVisible();
      if (child == null) {
        if (f.opened) {
          w.endArray();
        }
        tail(w, f.node.modifiedIndex, f.node.createdIndex);
        w.endObject();
        stack.pop();
        continue;
      }
      if (!f.opened) {
        w.name("nodes").beginArray();
        f.opened = true;
      }
      w.beginObject();
      head(w, child, now);
      if (recursive && child.isDir()) {
        stack.push(new Frame(child));
      } else {
        tail(w, child.modifiedIndex, child.createdIndex);
        w.endObject();
      }
    }
    return w.endObject().newline().toByteArray();
  }

  private static final class Frame {
    final Node node;
    final Iterator<Node> children;
    boolean opened;

    Frame(Node node) {
      this.node = node;
      this.children = node.children().iterator();
    }

    @Nullable Node nextVisible() {
      while (children.hasNext()) {
        Node c = children.next();
        if (!c.isHidden()) {
          return c;
        }
      }
      return null;
    }
  }

  private static void head(JsonWriter w, Node n, long now) {
    head(w, n.key, n.isDir() ? null : n.value(), n.isDir(), n.expires, n.expireAt, now);
  }

  private static void head(
      JsonWriter w,
      String key,
      @Nullable String value,
      boolean dir,
      boolean expires,
      long expireAt,
      long now) {
    if (key.length() > 1) {
      w.name("key").value(key);
    }
    if (value != null) {
      w.name("value").value(value);
    }
    if (dir) {
      w.name("dir").value(true);
    }
    if (expires) {
      w.name("expiration").value(GoTime.rfc3339Nano(expireAt));
      long ttl = GoTime.ttl(expireAt, now);
      if (ttl != 0) {
        w.name("ttl").value(ttl);
      }
    }
  }

  private static void tail(JsonWriter w, long modifiedIndex, long createdIndex) {
    if (modifiedIndex != 0) {
      w.name("modifiedIndex").unsignedValue(modifiedIndex);
    }
    if (createdIndex != 0) {
      w.name("createdIndex").unsignedValue(createdIndex);
    }
  }

  private static int valueSize(@Nullable String value, @Nullable Node prev) {
    long n = (value == null ? 0L : value.length()) + (prev == null ? 0L : prev.value().length());
    return (int) Math.min(n + n / 8, 1 << 24);
  }
}
