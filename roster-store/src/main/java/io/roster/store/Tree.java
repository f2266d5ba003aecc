package io.roster.store;

import io.roster.api.ErrorCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Path walking over the node tree (etcd {@code store.walk}, {@code internalGet}, {@code checkDir}).
 * Guarded by the store's lock like the nodes it walks.
 *
 * <p>A walk either reaches a node or stops with the error etcd reports: {@code 100 Key not found}
 * with the <em>first missing prefix</em> as cause, or {@code 104 Not a directory} with the key of
 * the file that sits where a directory is needed. All walks and subtree traversals are iterative,
 * so depth costs heap, not stack.
 */
final class Tree {
  final Node root;

  Tree(Node root) {
    this.root = root;
  }

  /** A walk's result: the node, or the error code and cause etcd reports. */
  record Lookup(@Nullable Node node, @Nullable ErrorCode error, @Nullable String cause) {
    static Lookup found(Node node) {
      return new Lookup(node, null, null);
    }

    static Lookup failed(ErrorCode error, String cause) {
      return new Lookup(null, error, cause);
    }
  }

  /** Walks to {@code key}: the node, 100 (first missing prefix) or 104 (the file in the way). */
  Lookup lookup(String key) {
    Node curr = root;
    int start = 1;
    while (start < key.length()) {
      int slash = key.indexOf('/', start);
      int end = slash < 0 ? key.length() : slash;
      if (!curr.isDir()) {
        return Lookup.failed(ErrorCode.NOT_DIR, curr.key);
      }
      Node next = curr.child(key.substring(start, end));
      if (next == null) {
        return Lookup.failed(ErrorCode.KEY_NOT_FOUND, key.substring(0, end));
      }
      curr = next;
      start = end + 1;
    }
    return Lookup.found(curr);
  }

  /**
   * The directory {@code dirKey}, creating missing directories with {@code index} as created and
   * modified index (etcd creates implicit directories silently, without events).
   *
   * @throws IllegalStateException if a file is in the way: callers check with {@link #lookup} first
   */
  Node mkdirs(String dirKey, long index) {
    Node curr = root;
    int start = 1;
    while (start < dirKey.length()) {
      int slash = dirKey.indexOf('/', start);
      int end = slash < 0 ? dirKey.length() : slash;
      Node next = curr.child(dirKey.substring(start, end));
      if (next == null) {
        next = Node.dir(dirKey.substring(0, end), index, index);
        curr.add(next);
      } else if (!next.isDir()) {
        throw new IllegalStateException("file in the way: " + next.key);
      }
      curr = next;
      start = end + 1;
    }
    return curr;
  }

  /**
   * Detaches {@code node} and visits every node of its subtree, {@code node} included, parents
   * before children.
   */
  static void remove(Node node, Consumer<Node> visitor) {
    node.detach();
    forEachInSubtree(node, visitor);
  }

  /** Visits {@code node} and its descendants in pre-order, children in name order. */
  static void forEachInSubtree(Node node, Consumer<Node> visitor) {
    ArrayDeque<Node> stack = new ArrayDeque<>();
    stack.push(node);
    List<Node> buffer = new ArrayList<>();
    while (!stack.isEmpty()) {
      Node n = stack.pop();
      visitor.accept(n);
      if (n.hasChildren()) {
        buffer.clear();
        buffer.addAll(n.children());
        for (int i = buffer.size() - 1; i >= 0; i--) {
          stack.push(buffer.get(i));
        }
      }
    }
  }
}
