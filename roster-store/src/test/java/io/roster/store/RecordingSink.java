package io.roster.store;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A {@link WatchSink} that records what it is offered and accepts up to a capacity. */
final class RecordingSink implements WatchSink {
  private final List<Event> events = new ArrayList<>();
  private final int capacity;

  RecordingSink() {
    this(Integer.MAX_VALUE);
  }

  RecordingSink(int capacity) {
    this.capacity = capacity;
  }

  @Override
  public synchronized boolean offer(Event event) {
    if (events.size() >= capacity) {
      return false;
    }
    events.add(event);
    return true;
  }

  private int ended;

  @Override
  public synchronized void ended() {
    ended++;
  }

  /** How many times the store said the watch ended without an event. */
  synchronized int endedCount() {
    return ended;
  }

  synchronized List<Event> events() {
    return new ArrayList<>(events);
  }

  synchronized List<Long> indices() {
    return events.stream().map(Event::index).collect(Collectors.toList());
  }

  /** "action key@index" for each event. */
  synchronized List<String> summary() {
    return events.stream().map(Event::toString).collect(Collectors.toList());
  }
}
