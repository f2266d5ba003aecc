package io.roster.cli.command;

import io.roster.cli.CtlFailure;
import io.roster.cli.ExitCode;
import io.roster.cli.RosterCtl;
import io.roster.cli.Session;
import io.roster.client.WriteOptions;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command shares: its {@link Session} (through the root command) and etcdctl's small
 * argument rules. A command returns its exit code or throws {@link CtlFailure}; any other runtime
 * exception is reported as etcdctl's {@code handleError} with exit 4.
 */
abstract class CtlCommand implements Callable<Integer> {
  @SuppressWarnings("NullAway.Init")
  @Spec
  CommandSpec spec;

  /** The session of this run. */
  final Session session() {
    return ((RosterCtl) spec.root().userObject()).session();
  }

  /** {@code key}, or etcdctl's "key required" (exit 1) if it is missing. */
  static String required(@Nullable String key) {
    if (key == null) {
      throw CtlFailure.error(ExitCode.BAD_ARGS, "key required");
    }
    return key;
  }

  /** etcdctl's TTL rule: only a positive {@code --ttl} is sent; 0 or less means none. */
  static WriteOptions ttl(long seconds) {
    return seconds > 0 ? WriteOptions.ttlOf(Duration.ofSeconds(seconds)) : WriteOptions.defaults();
  }

  /** Prints a write's answer unless the format is {@code simple} (mkdir, setdir, updatedir). */
  final void printUnlessSimple(io.roster.client.KeyResponse r) {
    if (!session().options().output().equals("simple")) {
      session().print(r);
    }
  }
}
