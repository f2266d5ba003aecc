package io.roster.store;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One node of the keyspace (etcd {@code v2store/node.go}): a file holding a value, or a directory
 * holding children. Internal and mutable; every field is guarded by the store's lock (written under
 * the write lock, read under either). The wire form is rendered by {@link Json}.
 *
 * <p>Children are kept in a {@link TreeMap} in code-point order (Go's byte order of keys), so
 * listings are always sorted and replicas render identical bytes; {@code sorted=true} is therefore
 * free.
 */
final class Node {
  /** The full key, {@code "/"} for the root. */
  final String key;

  final long createdIndex;

  /** For directories this never changes after creation (etcd quirk E8). */
  long modifiedIndex;

  /** Whether the node has a TTL; {@link #expireAt} is meaningful only then. */
  boolean expires;

  /** Expiration, epoch nanoseconds. */
  long expireAt;

  /** Position in the {@link ExpiryQueue} heap, -1 when not queued. */
  int heapIndex = -1;

  private @Nullable Node parent;
  private @Nullable String value;
  private final @Nullable Map<String, Node> children;

  private Node(
      String key,
      @Nullable Node parent,
      @Nullable String value,
      @Nullable Map<String, Node> children,
      long createdIndex,
      long modifiedIndex) {
    this.key = key;
    this.parent = parent;
    this.value = value;
    this.children = children;
    this.createdIndex = createdIndex;
    this.modifiedIndex = modifiedIndex;
  }

  static Node root() {
    return new Node(Keys.ROOT, null, null, new TreeMap<>(Keys::compareCodePoints), 0, 0);
  }

  static Node file(String key, String value, long createdIndex, long modifiedIndex) {
    return new Node(key, null, value, null, createdIndex, modifiedIndex);
  }

  static Node dir(String key, long createdIndex, long modifiedIndex) {
    return new Node(
        key, null, null, new TreeMap<>(Keys::compareCodePoints), createdIndex, modifiedIndex);
  }

  boolean isDir() {
    return children != null;
  }

  boolean isRoot() {
    return key.length() == 1;
  }

  /** The file's value; "" for a directory. */
  String value() {
    return value == null ? "" : value;
  }

  void setValue(String newValue) {
    if (children != null) {
      throw new IllegalStateException("directory has no value: " + key);
    }
    value = newValue;
  }

  String name() {
    return Keys.name(key);
  }

  /** Hidden nodes (name starting with {@code _}) are left out of listings. */
  boolean isHidden() {
    return !isRoot() && key.charAt(key.lastIndexOf('/') + 1) == '_';
  }

  @Nullable Node parent() {
    return parent;
  }

  @Nullable Node child(String name) {
    return children == null ? null : children.get(name);
  }

  boolean hasChildren() {
    return children != null && !children.isEmpty();
  }

  /** Children in code-point order of their names; empty for files. */
  Collection<Node> children() {
    return children == null ? java.util.List.of() : children.values();
  }

  /**
   * Attaches {@code child} below this directory.
   *
   * @throws IllegalStateException if this is a file or the name is taken
   */
  void add(Node child) {
    Map<String, Node> c = Objects.requireNonNull(children, "not a directory");
    Node old = c.putIfAbsent(child.name(), child);
    if (old != null) {
      throw new IllegalStateException("duplicate child " + child.key);
    }
    child.parent = this;
  }

  /** Detaches this node from its parent; its subtree stays intact. */
  void detach() {
    Node p = parent;
    if (p != null && p.children != null) {
      p.children.remove(name(), this);
    }
    parent = null;
  }

  @Override
  public String toString() {
    return (isDir() ? "dir " : "file ") + key + "@" + createdIndex + "/" + modifiedIndex;
  }
}
