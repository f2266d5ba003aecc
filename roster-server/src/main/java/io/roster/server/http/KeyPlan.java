package io.roster.server.http;

import io.roster.server.raft.Command;

/**
 * Which store operation a valid keys request is (etcd {@code v2_server.go} {@code Handle} and
 * {@code server.go} {@code Do}):
 *
 * <ul>
 *   <li>GET with {@code quorum=true}: a linearizable read ({@code wait} is ignored);
 *   <li>GET with {@code wait=true}: a watch;
 *   <li>GET, HEAD: a local read ({@code quorum} ignored on HEAD);
 *   <li>POST: {@code Create(unique)}; {@code prevExist}, {@code prevValue}, {@code prevIndex}
 *       ignored;
 *   <li>PUT: {@code prevExist=true}: Update, or CompareAndSwap with a condition; {@code
 *       prevExist=false}: Create (conditions ignored); absent: CompareAndSwap with a condition,
 *       else Set. {@code prevIndex=0} is no condition;
 *   <li>DELETE: CompareAndDelete with a condition (then {@code dir} and {@code recursive} are
 *       ignored), else Delete.
 * </ul>
 */
sealed interface KeyPlan {

  /** A read; {@code quorum} for a linearizable one. */
  record Read(String key, boolean recursive, boolean sorted, boolean quorum) implements KeyPlan {}

  /** A watch from {@code sinceIndex} (0: the next mutation). */
  record Watch(String key, boolean recursive, boolean stream, long sinceIndex) implements KeyPlan {}

  /** A replicated write. */
  record Write(Command command, boolean noValueOnSuccess) implements KeyPlan {}

  /** The plan for a validated request. */
  static KeyPlan of(KeyRequest r) {
    boolean hasCondition = r.prevIndex() > 0 || r.prevValue() != null;
    String prevValue = r.prevValue();
    return switch (r.method()) {
      case "GET" -> {
        if (r.quorum()) {
          yield new Read(r.key(), r.recursive(), r.sorted(), true);
        }
        if (r.waitRequested()) {
          yield new Watch(r.key(), r.recursive(), r.stream(), r.waitIndex());
        }
        yield new Read(r.key(), r.recursive(), r.sorted(), false);
      }
      case "HEAD" -> new Read(r.key(), r.recursive(), r.sorted(), false);
      case "POST" ->
          new Write(
              new Command.Create(r.key(), r.dir(), r.value(), true, r.ttlSeconds()),
              r.noValueOnSuccess());
      case "PUT" -> new Write(putCommand(r, hasCondition, prevValue), r.noValueOnSuccess());
      case "DELETE" ->
          new Write(
              hasCondition
                  ? new Command.CompareAndDelete(r.key(), prevValue, r.prevIndex())
                  : new Command.Delete(r.key(), r.dir(), r.recursive()),
              r.noValueOnSuccess());
      default -> throw new IllegalArgumentException("not a keys method: " + r.method());
    };
  }

  private static Command putCommand(
      KeyRequest r, boolean hasCondition, @org.jspecify.annotations.Nullable String prevValue) {
    Boolean prevExist = r.prevExist();
    if (prevExist != null && !prevExist) {
      return new Command.Create(r.key(), r.dir(), r.value(), false, r.ttlSeconds());
    }
    if (hasCondition) {
      return new Command.CompareAndSwap(
          r.key(), prevValue, r.prevIndex(), r.value(), r.ttlSeconds(), r.refresh());
    }
    if (prevExist != null) {
      return new Command.Update(r.key(), r.value(), r.ttlSeconds(), r.refresh());
    }
    return new Command.Set(r.key(), r.dir(), r.value(), r.ttlSeconds(), r.refresh());
  }
}
