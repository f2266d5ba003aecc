package io.roster.client.discovery;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which instances a caller wants from an {@link InstanceCache}: a conjunction of an allowed set of
 * {@link InstanceState states} and metadata conditions. Immutable and thread-safe; build it from
 * {@link #all()} or {@link #up()} and narrow it with the {@code with…} methods.
 *
 * <pre>{@code
 * InstanceFilter f = InstanceFilter.up().withMetadata("version", "2").withZone("z1");
 * List<ServiceInstance> targets = cache.instances(f);
 * }</pre>
 */
public final class InstanceFilter implements Predicate<ServiceInstance> {
  private static final InstanceFilter ALL =
      new InstanceFilter(EnumSet.allOf(InstanceState.class), List.of(), "all");

  private final Set<InstanceState> states;
  private final List<Predicate<ServiceInstance>> conditions;
  private final String description;

  private InstanceFilter(
      Set<InstanceState> states, List<Predicate<ServiceInstance>> conditions, String description) {
    this.states = Set.copyOf(states);
    this.conditions = List.copyOf(conditions);
    this.description = description;
  }

  /** Every instance, whatever its state. */
  public static InstanceFilter all() {
    return ALL;
  }

  /** Only instances in state {@link InstanceState#UP}: those that take new traffic. */
  public static InstanceFilter up() {
    return ALL.withStates(InstanceState.UP);
  }

  /** A copy that keeps only instances in one of {@code allowed} (replacing the current set). */
  public InstanceFilter withStates(InstanceState... allowed) {
    if (allowed.length == 0) {
      throw new IllegalArgumentException("no states: nothing would match");
    }
    EnumSet<InstanceState> s = EnumSet.noneOf(InstanceState.class);
    for (InstanceState st : allowed) {
      s.add(Objects.requireNonNull(st));
    }
    return new InstanceFilter(s, conditions, description + " states=" + s);
  }

  /** A copy that also requires {@code metadata[key]} to equal {@code value}. */
  public InstanceFilter withMetadata(String key, String value) {
    Objects.requireNonNull(key);
    Objects.requireNonNull(value);
    return and(i -> value.equals(i.metadata().get(key)), key + "=" + value);
  }

  /** A copy that also requires the metadata (a map, possibly empty) to satisfy {@code test}. */
  public InstanceFilter withMetadata(Predicate<Map<String, String>> test) {
    Objects.requireNonNull(test);
    return and(i -> test.test(i.metadata()), "metadata~" + test);
  }

  /** A copy that also requires the zone to equal {@code zone}. */
  public InstanceFilter withZone(String zone) {
    Objects.requireNonNull(zone);
    return and(i -> zone.equals(i.zone()), "zone=" + zone);
  }

  private InstanceFilter and(Predicate<ServiceInstance> p, String what) {
    List<Predicate<ServiceInstance>> c = new java.util.ArrayList<>(conditions);
    c.add(p);
    return new InstanceFilter(states, c, description + " " + what);
  }

  /** Whether {@code instance} passes: its state is allowed and every condition holds. */
  @Override
  public boolean test(ServiceInstance instance) {
    if (!states.contains(instance.state())) {
      return false;
    }
    for (Predicate<ServiceInstance> p : conditions) {
      if (!p.test(instance)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "InstanceFilter[" + description + "]";
  }
}
