package io.roster.lb;

import io.roster.testkit.ManualClock;
import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} on a {@link ManualClock}: tasks run only when a test moves time with {@link
 * #advance}, in time order (ties in scheduling order), each with the clock set to its due time. Not
 * thread-safe: for single-threaded tests.
 */
public final class FakeScheduler implements Scheduler {
  private final ManualClock clock;
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private long sequence;

  public FakeScheduler(ManualClock clock) {
    this.clock = clock;
  }

  @Override
  public void schedule(long delayNanos, Runnable task) {
    if (delayNanos < 0) {
      throw new IllegalArgumentException("negative delay");
    }
    tasks.add(new Task(clock.getAsLong() + delayNanos, sequence++, task));
  }

  /** Moves time forward by {@code d}, running every task that falls due on the way. */
  public void advance(Duration d) {
    long target = clock.getAsLong() + d.toNanos();
    Task t;
    while ((t = tasks.peek()) != null && t.time <= target) {
      tasks.poll();
      if (t.time > clock.getAsLong()) {
        clock.advance(Duration.ofNanos(t.time - clock.getAsLong()));
      }
      t.task.run();
    }
    if (target > clock.getAsLong()) {
      clock.advance(Duration.ofNanos(target - clock.getAsLong()));
    }
  }

  /** Runs the tasks due now. */
  public void runDue() {
    advance(Duration.ZERO);
  }

  /** Tasks not yet run. */
  public int pending() {
    return tasks.size();
  }

  private record Task(long time, long seq, Runnable task) implements Comparable<Task> {
    @Override
    public int compareTo(Task o) {
      int c = Long.compare(time, o.time);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
