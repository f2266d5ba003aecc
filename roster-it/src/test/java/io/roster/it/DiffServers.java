package io.roster.it;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pair of servers one differential test class compares: real etcd 3.4.23 as the reference and
 * the server under test ({@link ServerKind#underTest()}), started before the class's first test and
 * killed after its last, with one shared {@link Differ} that collects mismatches. Register it as a
 * static {@code @RegisterExtension} field; {@link DumpLogsOnFailure}, declared on the class with
 * {@code @ExtendWith}, runs first, so its failure reports include both processes.
 *
 * <p>The classes of the differential suite ({@link DifferentialEdgeCasesIT}, {@link
 * DifferentialRequestsIT}, {@link DifferentialRandomIT}) add what they compared to one tally in the
 * JUnit root store, which logs the "DifferentialIT totals" line once, when the test run ends. Other
 * suites that use a {@link Differ} (such as {@link BadInputIT}) are not counted.
 */
final class DiffServers implements BeforeAllCallback, AfterAllCallback {
  private static final Logger log = LoggerFactory.getLogger(DiffServers.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(DiffServers.class);

  private final String label;
  private @Nullable ServerProcess etcd;
  private @Nullable ServerProcess other;
  private @Nullable Differ differ;
  private long comparedBefore;
  private long sequencesBefore;

  /** {@code label} prefixes the servers' log file names ({@code <label>-ref}, {@code -test}). */
  DiffServers(String label) {
    this.label = label;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    comparedBefore = Differ.COMPARED.get();
    sequencesBefore = Differ.SEQUENCES.get();
    etcd = ServerProcess.start(ServerKind.ETCD, label + "-ref");
    other = ServerProcess.start(ServerKind.underTest(), label + "-test");
    differ = new Differ(etcd, other, false);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(Totals.class)
        .add(Differ.COMPARED.get() - comparedBefore, Differ.SEQUENCES.get() - sequencesBefore);
    if (other != null) {
      other.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  /** The differ shared by the class's scripted tests: records every mismatch, fails on assert. */
  Differ differ() {
    if (differ == null) {
      throw new IllegalStateException("servers not started: register as a static extension");
    }
    return differ;
  }

  /** A fresh differ over the same pair that fails at the first mismatch (random sequences). */
  Differ stopAtFirstMismatch() {
    return new Differ(differ().reference(), differ().underTest(), true);
  }

  /** What the differential classes compared in this run; logged when JUnit closes the store. */
  static final class Totals implements ExtensionContext.Store.CloseableResource {
    private long compared;
    private long sequences;

    synchronized void add(long compared, long sequences) {
      this.compared += compared;
      this.sequences += sequences;
    }

    @Override
    public synchronized void close() {
      log.info(
          "DifferentialIT totals: {} requests/events compared in {} sequences ({} random seeds x {}"
              + " ops), reference {} vs {}",
          compared,
          sequences,
          DifferentialRandomIT.SEEDS,
          DifferentialRandomIT.OPS_PER_SEED,
          "etcd",
          ServerKind.underTest());
    }
  }
}
