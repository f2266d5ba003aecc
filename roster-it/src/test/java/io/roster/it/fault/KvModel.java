package io.roster.it.fault;

import io.roster.it.fault.KvOp.Call;
import io.roster.it.fault.KvOp.Node;
import io.roster.it.fault.KvOp.Result;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The sequential specification of one etcd v2 key: absent, or a value with its modifiedIndex.
 *
 * <p>{@link #step} is deterministic given an operation's recorded output: it answers the state
 * after the operation, or null if the operation could not have returned that output from this
 * state. Writes check {@code prevNode} too, so a write answers for the state it overwrote exactly
 * as a read would. A write whose outcome is unknown leaves its value with an unknown index ({@link
 * #UNKNOWN_INDEX}); the next operation that reports the index fixes it.
 */
final class KvModel {
  static final long UNKNOWN_INDEX = -1;

  /** A key's state: {@code value == null} means absent. */
  record State(@Nullable String value, long index) {
    static final State ABSENT = new State(null, 0);

    boolean present() {
      return value != null;
    }

    @Override
    public String toString() {
      return value == null ? "absent" : value + "@" + (index == UNKNOWN_INDEX ? "?" : index);
    }
  }

  private KvModel() {}

  /** The state after {@code call} answered {@code result}, or null if it could not have. */
  static @Nullable State step(State s, Call call, Result result) {
    return switch (result.status()) {
      case UNKNOWN -> stepUnknown(s, call);
      case FAILED -> stepFailed(s, call, result.errorCode()) ? s : null;
      case OK -> stepOk(s, call, Objects.requireNonNull(result.node()), result.prev());
    };
  }

  /**
   * Applied with an unknown outcome: takes effect if its precondition holds, else changes nothing.
   */
  private static State stepUnknown(State s, Call call) {
    return switch (call.kind()) {
      case READ -> s;
      case WRITE -> new State(call.value(), UNKNOWN_INDEX);
      case CAS ->
          s.present() && Objects.equals(s.value(), call.expected())
              ? new State(call.value(), UNKNOWN_INDEX)
              : s;
      case CREATE -> s.present() ? s : new State(call.value(), UNKNOWN_INDEX);
      case DELETE -> State.ABSENT;
    };
  }

  private static boolean stepFailed(State s, Call call, int code) {
    return switch (call.kind()) {
      case READ, DELETE -> code == 100 && !s.present();
      case CAS ->
          (code == 100 && !s.present())
              || (code == 101 && s.present() && !Objects.equals(s.value(), call.expected()));
      case CREATE -> code == 105 && s.present();
      case WRITE -> false;
    };
  }

  private static @Nullable State stepOk(State s, Call call, Node node, @Nullable Node prev) {
    return switch (call.kind()) {
      case READ -> matches(s, node) ? new State(node.value(), node.modifiedIndex()) : null;
      case WRITE -> prevMatches(s, prev) ? written(call, node) : null;
      case CAS ->
          s.present() && Objects.equals(s.value(), call.expected()) && prevMatches(s, prev)
              ? written(call, node)
              : null;
      case CREATE -> !s.present() ? written(call, node) : null;
      case DELETE -> s.present() && prevMatches(s, prev) ? State.ABSENT : null;
    };
  }

  private static @Nullable State written(Call call, Node node) {
    return Objects.equals(call.value(), node.value())
        ? new State(node.value(), node.modifiedIndex())
        : null;
  }

  private static boolean prevMatches(State s, @Nullable Node prev) {
    return prev == null ? !s.present() : matches(s, prev);
  }

  private static boolean matches(State s, Node node) {
    return s.present()
        && Objects.equals(s.value(), node.value())
        && (s.index() == UNKNOWN_INDEX || s.index() == node.modifiedIndex());
  }
}
