package io.roster.bench;

import io.roster.lb.Endpoint;
import io.roster.lb.ResponseClass;
import io.roster.lb.balancer.Balancer;
import io.roster.lb.balancer.Balancers;
import io.roster.lb.balancer.Pick;
import io.roster.lb.balancer.Policy;
import io.roster.lb.failure.Ejector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one pick and its release (a pick alone would leave requests in flight forever) at 10,
 * 100 and 1000 endpoints, per policy, with the default ejector tracking every endpoint: what each
 * request pays for balancing. Target: ≤ 200 ns for P2C peak-EWMA. Finagle's equivalent (Clients.rst
 * footnote) reports about 1,700 ns for P2C least-loaded at 1000 nodes.
 *
 * <p>Run: {@code java -jar roster-bench/target/benchmarks.jar PickBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@SuppressWarnings("NullAway.Init")
public class PickBenchmark {
  @Param({"10", "100", "1000"})
  public int endpoints;

  @Param({"P2C_PEAK_EWMA", "P2C_LEAST_LOADED", "ROUND_ROBIN"})
  public String policy;

  private Balancer balancer;

  /** Builds the balancer with its endpoints. */
  @Setup
  public void setUp() {
    List<Endpoint> list = new ArrayList<>();
    for (int i = 0; i < endpoints; i++) {
      list.add(Endpoint.of("10.0." + (i / 250) + "." + (i % 250), 8080));
    }
    balancer =
        Balancers.newBuilder()
            .policy(Policy.valueOf(policy))
            .failureDetector(Ejector.newBuilder().build())
            .build(list);
  }

  /** One pick and its successful release. */
  @Benchmark
  public Pick pickAndRelease() {
    Pick p = balancer.pick();
    p.release(ResponseClass.SUCCESS);
    return p;
  }
}
