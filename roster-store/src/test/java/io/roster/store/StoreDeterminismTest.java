package io.roster.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Replicas fed the same operations must agree byte for byte. */
class StoreDeterminismTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 2026})
  void sameOperations_sameBodiesEventsAndSnapshots(long seed) {
    Store a = Store.create();
    Store b = Store.create();
    RecordingSink sinkA = new RecordingSink();
    RecordingSink sinkB = new RecordingSink();
    a.watch("/", true, true, 0, sinkA);
    b.watch("/", true, true, 0, sinkB);
    List<String> outA = new RandomOps(seed).run(a, 3000);
    List<String> outB = new RandomOps(seed).run(b, 3000);
    assertThat(outA).isEqualTo(outB);
    assertThat(a.saveToBytes()).isEqualTo(b.saveToBytes());
    assertThat(sinkA.summary()).isEqualTo(sinkB.summary());
    assertThat(a.currentIndex()).isGreaterThan(500);
  }

  @Test
  void restoredReplica_continuesExactlyLikeTheOriginal() throws IOException {
    Store original = Store.create();
    RandomOps ops = new RandomOps(7);
    ops.run(original, 2000);
    Store restored = Store.restore(original.saveToBytes());
    RandomOps opsA = new RandomOps(99);
    RandomOps opsB = new RandomOps(99);
    assertThat(opsA.run(restored, 2000)).isEqualTo(opsB.run(original, 2000));
    assertThat(restored.saveToBytes()).isEqualTo(original.saveToBytes());
  }

  @Test
  void randomOperations_indexRisesByOnePerEvent() {
    Store s = Store.create();
    RecordingSink all = new RecordingSink();
    s.watch("/", true, true, 1, all);
    new RandomOps(5).run(s, 3000);
    List<Long> indices = all.indices();
    long last = s.currentIndex();
    RecordingSink fromHistory = new RecordingSink();
    s.watch("/", true, true, last - 999, fromHistory);
    assertThat(fromHistory.indices()).isNotEmpty().isSorted().doesNotHaveDuplicates();
    assertThat(indices).isSorted().doesNotHaveDuplicates();
    assertThat(indices.get(indices.size() - 1)).isLessThanOrEqualTo(last);
  }
}
