package io.roster.store;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The nodes that have a TTL, ordered by expiration (etcd {@code ttl_key_heap.go}).
 *
 * <p>An indexed binary min-heap: each queued {@link Node} records its slot in {@link
 * Node#heapIndex}, so removing or re-keying an arbitrary node is a sift from a known position,
 * O(log n), and the earliest expiration is the root, O(1). A {@code TreeSet} would give O(log n)
 * for everything including the minimum, and a {@code PriorityQueue} O(n) removal.
 *
 * <p>Order is total and deterministic: by {@code expireAt}, then by key in code-point order. Keys
 * are unique among live nodes, and an ancestor sorts before its descendants, so when a directory
 * and a child expire at the same instant the directory goes first and takes the child with it (one
 * event, as in etcd). Go's heap leaves ties to chance; replicas here agree on every expiry order.
 *
 * <p>Guarded by the store's lock; the owner must call {@link #update} after changing a queued
 * node's {@code expireAt}.
 */
final class ExpiryQueue {
  private Node[] heap = new Node[16];
  private int size;

  int size() {
    return size;
  }

  /** The node that expires first, if any. O(1). */
  @Nullable Node peek() {
    return size == 0 ? null : heap[0];
  }

  /** Queues {@code n}, which must have a TTL and must not be queued. */
  void add(Node n) {
    if (n.heapIndex >= 0 || !n.expires) {
      throw new IllegalStateException("cannot queue " + n);
    }
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    heap[size] = n;
    n.heapIndex = size;
    size++;
    siftUp(size - 1);
  }

  /** Removes {@code n} if queued; a no-op otherwise. */
  void remove(Node n) {
    int i = n.heapIndex;
    if (i < 0) {
      return;
    }
    n.heapIndex = -1;
    size--;
    if (i == size) {
      heap[size] = null;
      return;
    }
    Node last = heap[size];
    heap[size] = null;
    heap[i] = last;
    last.heapIndex = i;
    siftDown(i);
    siftUp(last.heapIndex);
  }

  /** Restores heap order after a queued node's expiration changed. */
  void update(Node n) {
    int i = n.heapIndex;
    if (i < 0) {
      throw new IllegalStateException("not queued: " + n);
    }
    siftDown(i);
    siftUp(n.heapIndex);
  }

  /**
   * Adds {@code deltaNanos} (positive) to every queued node's expiration, saturating at {@link
   * Long#MAX_VALUE}, then restores heap order (saturation can create ties that the key breaks
   * differently). O(n).
   */
  void postponeAll(long deltaNanos) {
    for (int i = 0; i < size; i++) {
      Node n = heap[i];
      long shifted = n.expireAt + deltaNanos;
      n.expireAt = shifted < n.expireAt ? Long.MAX_VALUE : shifted;
    }
    for (int i = (size >>> 1) - 1; i >= 0; i--) {
      siftDown(i);
    }
  }

  static int compare(Node a, Node b) {
    int c = Long.compare(a.expireAt, b.expireAt);
    return c != 0 ? c : Keys.compareCodePoints(a.key, b.key);
  }

  private void siftUp(int i) {
    Node n = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      Node p = heap[parent];
      if (compare(n, p) >= 0) {
        break;
      }
      heap[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    heap[i] = n;
    n.heapIndex = i;
  }

  private void siftDown(int i) {
    Node n = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      Node c = heap[child];
      int right = child + 1;
      if (right < size && compare(heap[right], c) < 0) {
        child = right;
        c = heap[child];
      }
      if (compare(n, c) <= 0) {
        break;
      }
      heap[i] = c;
      c.heapIndex = i;
      i = child;
    }
    heap[i] = n;
    n.heapIndex = i;
  }
}
