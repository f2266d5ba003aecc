package io.roster.cli.command;

import io.roster.api.ErrorCode;
import io.roster.cli.CtlFailure;
import io.roster.cli.ErrorText;
import io.roster.cli.ExitCode;
import io.roster.client.RosterException;
import io.roster.client.Watch;
import io.roster.client.WatchEvent;
import java.util.List;
import sun.misc.Signal;

/**
 * What the watch commands share: etcdctl's exit status 0 on Ctrl-C, and the next change of a watch,
 * with a watch that can no longer continue reported as etcdctl reports it (exit 4). Stateless.
 */
final class Watching {
  private Watching() {}

  /** As etcdctl's watches: SIGINT (Ctrl-C) ends the process with status 0. */
  static void exitZeroOnInterrupt() {
    Signal.handle(new Signal("INT"), s -> System.exit(ExitCode.SUCCESS));
  }

  /**
   * The next change. A {@link WatchEvent.Resync} means the server's history no longer reached the
   * requested index; etcdctl fails with error 401 there, and so does this.
   *
   * @throws CtlFailure for a resync (401) or a watch the server ended with an error
   */
  static WatchEvent.Change next(Watch w, List<java.net.URI> endpoints) throws InterruptedException {
    WatchEvent e;
    try {
      e = w.take();
    } catch (IllegalStateException ended) {
      Throwable cause = w.failure();
      if (cause instanceof RuntimeException) {
        throw ErrorText.handle((RuntimeException) cause, ExitCode.SERVER_ERROR, endpoints);
      }
      throw CtlFailure.error(ExitCode.SERVER_ERROR, "watch ended: " + ended.getMessage());
    }
    if (e instanceof WatchEvent.Resync) {
      RosterException cleared =
          new RosterException(
              ErrorCode.EVENT_INDEX_CLEARED,
              "the requested history has been cleared",
              ((WatchEvent.Resync) e).etcdIndex());
      throw ErrorText.handle(cleared, ExitCode.SERVER_ERROR, endpoints);
    }
    return (WatchEvent.Change) e;
  }
}
