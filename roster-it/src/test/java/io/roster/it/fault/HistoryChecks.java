package io.roster.it.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.roster.it.fault.KvOp.Kind;
import io.roster.it.fault.KvOp.Node;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Checks on a history beyond linearizability: that no index was handed to two different writes, and
 * that the final state of each key accounts for the last acknowledged write to it.
 */
final class HistoryChecks {
  private HistoryChecks() {}

  private static boolean isWrite(KvOp op) {
    return op.call().kind() != Kind.READ;
  }

  /**
   * Problems where two different acknowledged writes (any keys) report the same modifiedIndex.
   * Every etcd v2 write takes its own index, so each index names one write.
   */
  static List<String> reusedIndexes(Collection<KvOp> history) {
    Map<Long, KvOp> byIndex = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (KvOp op : history) {
      Node node = op.result().node();
      if (!isWrite(op) || op.result().status() != KvOp.Status.OK || node == null) {
        continue;
      }
      KvOp other = byIndex.putIfAbsent(node.modifiedIndex(), op);
      if (other != null) {
        problems.add(
            "index " + node.modifiedIndex() + " answered to two writes: " + other + " and " + op);
      }
    }
    return problems;
  }

  /**
   * Problems where the final state of a key (from a converged dump: value and modifiedIndex, or
   * absent) does not account for the acknowledged write with the highest index to that key. The
   * final node's index must be at least that write's; if equal it must be that write's value (or
   * absence after a delete); if higher, it must come from a write whose outcome was unknown, since
   * every acknowledged write to the key has a lower index.
   *
   * @param finalState each key's final node, absent keys missing
   */
  static List<String> lostWrites(
      Collection<KvOp> history, Collection<String> keys, Map<String, Node> finalState) {
    List<String> problems = new ArrayList<>();
    for (String key : keys) {
      KvOp lastAcked = null;
      List<KvOp> unknownWrites = new ArrayList<>();
      for (KvOp op : history) {
        if (!op.call().key().equals(key) || !isWrite(op)) {
          continue;
        }
        Node node = op.result().node();
        if (op.result().status() == KvOp.Status.OK && node != null) {
          Node best = lastAcked == null ? null : lastAcked.result().node();
          if (best == null || node.modifiedIndex() > best.modifiedIndex()) {
            lastAcked = op;
          }
        } else if (op.unknown()) {
          unknownWrites.add(op);
        }
      }
      Node fin = finalState.get(key);
      if (lastAcked == null) {
        if (fin != null
            && unknownWrites.stream()
                .noneMatch(w -> Objects.equals(w.call().value(), fin.value()))) {
          problems.add(key + " holds " + fin + " that no write (acknowledged or not) wrote");
        }
        continue;
      }
      Node acked = Objects.requireNonNull(lastAcked.result().node());
      boolean ackedDelete = lastAcked.call().kind() == Kind.DELETE;
      if (fin == null) {
        boolean explained =
            ackedDelete || unknownWrites.stream().anyMatch(w -> w.call().kind() == Kind.DELETE);
        if (!explained) {
          problems.add(
              key
                  + " is gone, but the last acknowledged write "
                  + lastAcked
                  + " was no delete and no delete is in doubt");
        }
        continue;
      }
      if (fin.modifiedIndex() < acked.modifiedIndex()) {
        problems.add(key + " holds " + fin + ", older than the acknowledged " + lastAcked);
      } else if (fin.modifiedIndex() == acked.modifiedIndex()) {
        if (ackedDelete || !Objects.equals(fin.value(), acked.value())) {
          problems.add(key + " holds " + fin + " at the index of the acknowledged " + lastAcked);
        }
      } else if (unknownWrites.stream()
          .noneMatch(w -> Objects.equals(w.call().value(), fin.value()))) {
        problems.add(
            key
                + " holds "
                + fin
                + ", newer than the last acknowledged "
                + lastAcked
                + ", but no write in doubt wrote it");
      }
    }
    return problems;
  }

  /** Key → final node from a recursive dump of {@code /} (only leaf keys with values). */
  static Map<String, Node> leaves(JsonNode root) {
    Map<String, Node> out = new HashMap<>();
    collect(root, out);
    return out;
  }

  private static void collect(JsonNode node, Map<String, Node> out) {
    @Nullable String value = FaultCluster.text(node, "value");
    if (value != null) {
      out.put(node.path("key").asText(), new Node(value, node.path("modifiedIndex").asLong()));
    }
    for (JsonNode child : node.path("nodes")) {
      collect(child, out);
    }
  }
}
