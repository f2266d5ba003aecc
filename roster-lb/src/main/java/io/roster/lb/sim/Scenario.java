package io.roster.lb.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A set of simulated hosts. Each host answers after a lognormal latency — the simulation's median
 * latency × the host's {@code latencyFactor}, with the simulation's spread — and fails each request
 * with probability {@code errorRate}. Hosts may also change over time: join late, start cold, flap,
 * or go down for a window (a zone outage). Immutable.
 *
 * @param name a short label for printing
 * @param hosts one entry per host, at least one
 */
public record Scenario(String name, List<Host> hosts) {

  /**
   * One simulated host.
   *
   * @param latencyFactor its median latency as a multiple of the simulation's
   * @param errorRate the share of requests it fails while up, in [0, 1]
   * @param zone its zone, or null
   * @param joinAt when it joins the client's endpoint list (zero: from the start)
   * @param coldFor how long after joining it answers at 3 × its latency (a cold JIT and caches)
   * @param flapPeriod if positive, it is up for one period and down for the next, alternately,
   *     starting up
   * @param downFrom start of a window during which it is down
   * @param downUntil end of that window (equal to {@code downFrom}: never down)
   */
  public record Host(
      double latencyFactor,
      double errorRate,
      @Nullable String zone,
      Duration joinAt,
      Duration coldFor,
      Duration flapPeriod,
      Duration downFrom,
      Duration downUntil) {
    /**
     * @throws IllegalArgumentException if the factor is not positive, the rate not in [0, 1], a
     *     duration negative, or the down window reversed
     */
    public Host {
      if (!(latencyFactor > 0) || !(errorRate >= 0 && errorRate <= 1)) {
        throw new IllegalArgumentException("need latencyFactor > 0 and errorRate in [0, 1]");
      }
      for (Duration d : List.of(joinAt, coldFor, flapPeriod, downFrom, downUntil)) {
        if (d.isNegative()) {
          throw new IllegalArgumentException("negative duration: " + d);
        }
      }
      if (downUntil.compareTo(downFrom) < 0) {
        throw new IllegalArgumentException("down window ends before it starts");
      }
    }

    /** A host present from the start, never changing. */
    public Host(double latencyFactor, double errorRate) {
      this(
          latencyFactor,
          errorRate,
          null,
          Duration.ZERO,
          Duration.ZERO,
          Duration.ZERO,
          Duration.ZERO,
          Duration.ZERO);
    }

    /** Whether the host is down (failing every request at once) at {@code t} nanoseconds. */
    boolean downAt(long t) {
      long flap = flapPeriod.toNanos();
      if (flap > 0 && (t / flap) % 2 == 1) {
        return true;
      }
      return t >= downFrom.toNanos() && t < downUntil.toNanos();
    }

    /** Latency multiplier at {@code t}: 3 while cold after joining, else 1. */
    double coldFactorAt(long t) {
      return t - joinAt.toNanos() < coldFor.toNanos() ? 3 : 1;
    }
  }

  /**
   * @throws IllegalArgumentException if there are no hosts
   */
  public Scenario {
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("a scenario needs hosts");
    }
    hosts = List.copyOf(hosts);
  }

  /** {@code n} identical healthy hosts: the baseline. */
  public static Scenario allHealthy(int n) {
    return new Scenario("all healthy", Collections.nCopies(n, new Host(1, 0)));
  }

  /** {@code n} hosts, one of them {@code factor} times slower than the rest. */
  public static Scenario slowHost(int n, double factor) {
    List<Host> hosts = new ArrayList<>(Collections.nCopies(n, new Host(1, 0)));
    hosts.set(0, new Host(factor, 0));
    return new Scenario("one slow host (" + fmt(factor) + "x)", hosts);
  }

  /** {@code n} hosts, one of them failing a share {@code errorRate} of its requests. */
  public static Scenario failingHost(int n, double errorRate) {
    List<Host> hosts = new ArrayList<>(Collections.nCopies(n, new Host(1, 0)));
    hosts.set(0, new Host(1, errorRate));
    return new Scenario("one failing host (" + fmt(errorRate * 100) + "% errors)", hosts);
  }

  /** {@code n} hosts, one of them alternately up and down for {@code period} each. */
  public static Scenario flappingHost(int n, Duration period) {
    List<Host> hosts = new ArrayList<>(Collections.nCopies(n, new Host(1, 0)));
    hosts.set(
        0,
        new Host(1, 0, null, Duration.ZERO, Duration.ZERO, period, Duration.ZERO, Duration.ZERO));
    return new Scenario("one flapping host (" + period.toSeconds() + "s)", hosts);
  }

  /**
   * {@code n} hosts, joined at {@code at} by {@code added} new ones that run 3× slower for their
   * first {@code cold} (a deploy or a scale-out).
   */
  public static Scenario burstOfNewHosts(int n, int added, Duration at, Duration cold) {
    List<Host> hosts = new ArrayList<>(Collections.nCopies(n, new Host(1, 0)));
    for (int i = 0; i < added; i++) {
      hosts.add(new Host(1, 0, null, at, cold, Duration.ZERO, Duration.ZERO, Duration.ZERO));
    }
    return new Scenario("burst of " + added + " new hosts", hosts);
  }

  /**
   * {@code zones} zones named a, b, c… of {@code perZone} hosts; hosts outside zone {@code a} are
   * {@code remoteFactor} times slower (cross-zone round trips); every host in zone {@code a} is
   * down from {@code from} to {@code until}.
   */
  public static Scenario zoneOutage(
      int zones, int perZone, double remoteFactor, Duration from, Duration until) {
    List<Host> hosts = new ArrayList<>();
    for (int z = 0; z < zones; z++) {
      String zone = String.valueOf((char) ('a' + z));
      for (int i = 0; i < perZone; i++) {
        hosts.add(
            z == 0
                ? new Host(1, 0, zone, Duration.ZERO, Duration.ZERO, Duration.ZERO, from, until)
                : new Host(
                    remoteFactor,
                    0,
                    zone,
                    Duration.ZERO,
                    Duration.ZERO,
                    Duration.ZERO,
                    Duration.ZERO,
                    Duration.ZERO));
      }
    }
    return new Scenario("zone a outage", hosts);
  }

  private static String fmt(double x) {
    return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
  }
}
