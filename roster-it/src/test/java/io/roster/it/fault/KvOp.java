package io.roster.it.fault;

import org.jspecify.annotations.Nullable;

/**
 * One client operation on one key as recorded: what was asked, when (System.nanoTime at invocation
 * and completion) and what came back. An operation whose outcome is unknown (timeout, connection
 * lost after sending, a 5xx or 300-class error on a write) completes at {@link Long#MAX_VALUE}: it
 * may have taken effect at any point after its invocation, or never.
 *
 * @param id unique within one history; the checker uses it as a bit index
 * @param client the recording client thread
 * @param member the member the request was sent to (for reports)
 */
record KvOp(
    int id,
    int client,
    String member,
    Call call,
    long invokeNanos,
    long completeNanos,
    Result result) {

  /** The etcd v2 operations the model knows. */
  enum Kind {
    /** {@code GET ?quorum=true}. */
    READ,
    /** {@code PUT value=…}. */
    WRITE,
    /** {@code PUT value=…&prevValue=…}. */
    CAS,
    /** {@code PUT value=…&prevExist=false}. */
    CREATE,
    /** {@code DELETE}. */
    DELETE
  }

  /** A node as the server reported it: its value (null for a deleted node) and modifiedIndex. */
  record Node(@Nullable String value, long modifiedIndex) {}

  /**
   * What was asked.
   *
   * @param value the value written (WRITE, CAS, CREATE)
   * @param expected {@code prevValue} (CAS)
   */
  record Call(Kind kind, String key, @Nullable String value, @Nullable String expected) {
    static Call read(String key) {
      return new Call(Kind.READ, key, null, null);
    }

    static Call write(String key, String value) {
      return new Call(Kind.WRITE, key, value, null);
    }

    static Call cas(String key, String expected, String value) {
      return new Call(Kind.CAS, key, value, expected);
    }

    static Call create(String key, String value) {
      return new Call(Kind.CREATE, key, value, null);
    }

    static Call delete(String key) {
      return new Call(Kind.DELETE, key, null, null);
    }
  }

  /** How an operation ended. */
  enum Status {
    /** 200/201: {@link Result#node} (and {@link Result#prev} for writes) hold the answer. */
    OK,
    /** A definite etcd error that changed nothing: 100 key not found, 101 compare failed, 105. */
    FAILED,
    /** May or may not have taken effect. */
    UNKNOWN
  }

  /**
   * The answer.
   *
   * @param node the node read or written (for DELETE: the deleted node, value null)
   * @param prev {@code prevNode} of a write; null when the key did not exist before
   * @param errorCode the etcd error code when {@link Status#FAILED}
   * @param detail why an outcome is unknown, for reports
   */
  record Result(
      Status status, @Nullable Node node, @Nullable Node prev, int errorCode, String detail) {
    static Result ok(Node node, @Nullable Node prev) {
      return new Result(Status.OK, node, prev, 0, "");
    }

    static Result failed(int errorCode) {
      return new Result(Status.FAILED, null, null, errorCode, "");
    }

    static Result unknown(String detail) {
      return new Result(Status.UNKNOWN, null, null, 0, detail);
    }

    @Override
    public String toString() {
      return switch (status) {
        case OK -> "ok " + node + (prev == null ? "" : " prev " + prev);
        case FAILED -> "error " + errorCode;
        case UNKNOWN -> "unknown (" + detail + ")";
      };
    }
  }

  boolean unknown() {
    return result.status() == Status.UNKNOWN;
  }

  @Override
  public String toString() {
    String args =
        switch (call.kind()) {
          case READ, DELETE -> "";
          case WRITE, CREATE -> " " + call.value();
          case CAS -> " " + call.expected() + "->" + call.value();
        };
    return "#"
        + id
        + " c"
        + client
        + "@"
        + member
        + " "
        + call.kind()
        + " "
        + call.key()
        + args
        + " ["
        + invokeNanos
        + ", "
        + (completeNanos == Long.MAX_VALUE ? "inf" : Long.toString(completeNanos))
        + "] "
        + result;
  }
}
