package io.roster.it;

import io.roster.client.discovery.InstanceListener;
import io.roster.client.discovery.ServiceInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An {@link InstanceListener} that records each call as a string: {@code +id} added, {@code -id}
 * removed, {@code ~id:STATE} changed.
 */
final class Recording implements InstanceListener {
  final BlockingQueue<String> calls = new LinkedBlockingQueue<>();

  @Override
  public void onAdded(ServiceInstance i) {
    calls.add("+" + i.id());
  }

  @Override
  public void onRemoved(ServiceInstance i) {
    calls.add("-" + i.id());
  }

  @Override
  public void onChanged(ServiceInstance before, ServiceInstance after) {
    calls.add("~" + after.id() + ":" + after.state());
  }

  /** The next call, waiting up to {@code timeout}; fails if none comes. */
  String next(Duration timeout) throws InterruptedException {
    String s = calls.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (s == null) {
      throw new AssertionError("no listener call within " + timeout);
    }
    return s;
  }

  /** The next {@code n} calls. */
  List<String> next(int n, Duration timeout) throws InterruptedException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(next(timeout));
    }
    return out;
  }
}
