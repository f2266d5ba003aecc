package io.roster.it;

import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Differential compatibility, random: {@value #SEEDS} seeded sequences of {@value #OPS_PER_SEED}
 * operations over a small keyspace ({@link RandomOps}), each under its own prefix, sent to real
 * etcd 3.4.23 and to the server under test and stopped at the first mismatch. {@code
 * -Droster.it.seed=N} makes N the first seed.
 */
@ExtendWith(DumpLogsOnFailure.class)
class DifferentialRandomIT {
  private static final Logger log = LoggerFactory.getLogger(DifferentialRandomIT.class);

  static final int SEEDS = 20;
  static final int OPS_PER_SEED = 60;

  @RegisterExtension static final DiffServers servers = new DiffServers("diff-random");

  static Stream<Long> seeds() {
    long first = Long.getLong("roster.it.seed", 20_260_101L);
    return IntStream.range(0, SEEDS).mapToObj(i -> first + i);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomSequence(long seed) {
    Differ rd = servers.stopAtFirstMismatch();
    log.info(
        "DifferentialIT random sequence: seed {} (-Droster.it.seed={} reruns it first)",
        seed,
        seed);
    new RandomOps(rd, seed, "/r" + seed).run(OPS_PER_SEED);
  }
}
