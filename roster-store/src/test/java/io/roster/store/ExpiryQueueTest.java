package io.roster.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ExpiryQueueTest {

  private static Node node(String key, long expireAt) {
    Node n = Node.file(key, "", 1, 1);
    n.expires = true;
    n.expireAt = expireAt;
    return n;
  }

  @Test
  void peek_emptyIsNull() {
    assertThat(new ExpiryQueue().peek()).isNull();
  }

  @Test
  void order_byExpireAtThenKey() {
    ExpiryQueue q = new ExpiryQueue();
    Node b = node("/b", 5);
    Node a = node("/a", 5);
    Node c = node("/c", 1);
    Node dir = node("/a/x", 5);
    q.add(b);
    q.add(dir);
    q.add(a);
    q.add(c);
    List<String> order = new ArrayList<>();
    for (Node n = q.peek(); n != null; n = q.peek()) {
      order.add(n.key);
      q.remove(n);
    }
    assertThat(order).containsExactly("/c", "/a", "/a/x", "/b");
  }

  @Test
  void add_twiceOrWithoutTtlRejected() {
    ExpiryQueue q = new ExpiryQueue();
    Node n = node("/a", 1);
    q.add(n);
    assertThatThrownBy(() -> q.add(n)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> q.add(Node.file("/p", "", 1, 1)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void remove_notQueuedIsNoOp() {
    ExpiryQueue q = new ExpiryQueue();
    q.remove(node("/a", 1));
    assertThat(q.size()).isZero();
  }

  @Test
  void randomOperations_matchSortedSetModel() {
    Random random = new Random(42);
    ExpiryQueue q = new ExpiryQueue();
    TreeSet<Node> model = new TreeSet<>(ExpiryQueue::compare);
    List<Node> live = new ArrayList<>();
    for (int step = 0; step < 20_000; step++) {
      int op = random.nextInt(4);
      if (op == 0 || live.isEmpty()) {
        Node n = node("/k" + step, random.nextInt(1000));
        q.add(n);
        model.add(n);
        live.add(n);
      } else if (op == 1) {
        Node n = live.remove(random.nextInt(live.size()));
        q.remove(n);
        model.remove(n);
        assertThat(n.heapIndex).isEqualTo(-1);
      } else if (op == 2) {
        Node n = live.get(random.nextInt(live.size()));
        model.remove(n);
        n.expireAt = random.nextInt(1000);
        q.update(n);
        model.add(n);
      } else {
        Node top = q.peek();
        if (top != null) {
          assertThat(top).isSameAs(model.first());
          q.remove(top);
          model.remove(top);
          live.remove(top);
        }
      }
      assertThat(q.size()).isEqualTo(model.size());
      if (!model.isEmpty()) {
        assertThat(q.peek()).isSameAs(model.first());
      }
    }
  }
}
