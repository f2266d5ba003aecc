package io.roster.lb.sim;

import io.roster.lb.Scheduler;
import java.util.PriorityQueue;
import java.util.function.LongSupplier;

/*
 * The simulator's only source of time: a priority queue of (time, sequence, task). Running an
 * event first moves the clock to its time; events at the same time run in the order they were
 * scheduled, which makes every run reproducible. Single-threaded by design: it is both the clock
 * (LongSupplier) and the Scheduler handed to the code under test.
 */
final class EventQueue implements LongSupplier, Scheduler {
  private final PriorityQueue<Event> events = new PriorityQueue<>();
  private long now;
  private long sequence;

  @Override
  public long getAsLong() {
    return now;
  }

  @Override
  public void schedule(long delayNanos, Runnable task) {
    if (delayNanos < 0) {
      throw new IllegalArgumentException("negative delay: " + delayNanos);
    }
    events.add(new Event(now + delayNanos, sequence++, task));
  }

  /** Runs events in time order until none are left; returns how many ran. */
  long runAll() {
    long ran = 0;
    Event e;
    while ((e = events.poll()) != null) {
      now = e.time;
      e.task.run();
      ran++;
    }
    return ran;
  }

  private static final class Event implements Comparable<Event> {
    final long time;
    final long sequence;
    final Runnable task;

    Event(long time, long sequence, Runnable task) {
      this.time = time;
      this.sequence = sequence;
      this.task = task;
    }

    @Override
    public int compareTo(Event o) {
      int byTime = Long.compare(time, o.time);
      return byTime != 0 ? byTime : Long.compare(sequence, o.sequence);
    }
  }
}
