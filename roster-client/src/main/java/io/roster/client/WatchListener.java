package io.roster.client;

/**
 * Receives the events of a listener-mode {@link Watch}, one at a time, in order, on the watch's own
 * thread. While it runs the watch does not read from the server (backpressure). An exception it
 * throws is logged and the watch goes on with the next event.
 */
@FunctionalInterface
public interface WatchListener {
  /** Called for each event; may block (that delays later events, it never drops them). */
  void onEvent(WatchEvent event);
}
