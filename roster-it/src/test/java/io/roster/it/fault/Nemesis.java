package io.roster.it.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects faults into a {@link FaultCluster} while clients run: a few seconds healthy, then one
 * fault for a few seconds, then its repair, until the time is up. Faults rotate through kill -9
 * (then restart on the same data dir), SIGSTOP (then SIGCONT) and partitions (one member isolated,
 * or with five members a 2|3 split); half of them aim at the current leader. Every fault keeps a
 * majority able to serve once repaired; the cluster must serve everywhere again before the next
 * fault starts.
 *
 * <p>Faults come in a fixed rotation (pause, partition, kill); targets and durations are drawn from
 * the seeded {@code random}. Not thread-safe; runs on the test thread.
 */
final class Nemesis {
  private static final Logger LOG = LoggerFactory.getLogger(Nemesis.class);

  enum Fault {
    KILL,
    PAUSE,
    PARTITION
  }

  private final FaultCluster cluster;
  private final Random random;
  private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);

  /**
   * Kill last: a restarted JVM takes longest to serve again, so a short run still sees all three.
   */
  private static final List<Fault> ROTATION = List.of(Fault.PAUSE, Fault.PARTITION, Fault.KILL);

  private int next;

  Nemesis(FaultCluster cluster, Random random) {
    this.cluster = cluster;
    this.random = random;
  }

  Map<Fault, Integer> injected() {
    return Map.copyOf(injected);
  }

  /** Injects and repairs faults for {@code total}; returns with every member serving. */
  void run(Duration total) {
    long end = System.nanoTime() + total.toNanos();
    while (true) {
      FaultCluster.sleep(1000 + random.nextInt(1500));
      if (System.nanoTime() + Duration.ofSeconds(3).toNanos() > end) {
        break;
      }
      Fault fault = ROTATION.get(next++ % ROTATION.size());
      inject(fault, 2000 + random.nextInt(2000));
      long repaired = System.nanoTime();
      cluster.awaitAllServing(FaultCluster.READY_TIMEOUT);
      LOG.info(
          "nemesis: every member serves again {} ms after the repair",
          Duration.ofNanos(System.nanoTime() - repaired).toMillis());
    }
    long left = end - System.nanoTime();
    if (left > 0) {
      FaultCluster.sleep(left / 1_000_000);
    }
  }

  private Member target() {
    List<Member> members = cluster.members();
    if (random.nextBoolean()) {
      return cluster.leader().orElse(members.get(random.nextInt(members.size())));
    }
    return members.get(random.nextInt(members.size()));
  }

  private void inject(Fault fault, long holdMillis) {
    Member target = target();
    switch (fault) {
      case KILL -> {
        cluster.kill(target);
        FaultCluster.sleep(holdMillis);
        cluster.restart(target);
      }
      case PAUSE -> {
        cluster.pause(target);
        FaultCluster.sleep(holdMillis);
        cluster.resume(target);
      }
      case PARTITION -> {
        List<Member> side = new ArrayList<>(List.of(target));
        if (cluster.members().size() >= 5 && random.nextBoolean()) {
          List<Member> others = new ArrayList<>(cluster.members());
          others.remove(target);
          side.add(others.get(random.nextInt(others.size())));
        }
        cluster.partition(side);
        FaultCluster.sleep(holdMillis);
        cluster.healPartitions();
      }
    }
    injected.merge(fault, 1, Integer::sum);
    LOG.info("nemesis: {} on {} for {} ms, repaired", fault, target, holdMillis);
  }
}
