package io.roster.lb.retry;

import io.roster.lb.Scheduler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Records scheduled tasks and their delays; a test runs them with {@link #runAll()}. */
final class RecordingScheduler implements Scheduler {
  final List<Long> delays = new ArrayList<>();
  private final Deque<Runnable> tasks = new ArrayDeque<>();

  @Override
  public void schedule(long delayNanos, Runnable task) {
    delays.add(delayNanos);
    tasks.add(task);
  }

  void runAll() {
    Runnable t;
    while ((t = tasks.poll()) != null) {
      t.run();
    }
  }
}
