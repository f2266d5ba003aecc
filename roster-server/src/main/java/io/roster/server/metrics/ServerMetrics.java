package io.roster.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.roster.server.raft.RaftGateway;
import io.roster.store.Store;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The registry behind {@code /metrics}: JVM and process metrics plus the store and Raft gauges
 * (names {@code roster_<subsystem>_<name>}, as etcd's {@code etcd_debugging_store_*}). The HTTP
 * layer adds its own request metrics to the same registry.
 */
public final class ServerMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  /**
   * @param store the current store (replaced when a snapshot is installed)
   * @param raftIndex the Raft commit index
   * @param raftTerm the current Raft term
   * @param isLeader 1 when this member leads, else 0
   * @param gateway the write path, for group-commit metrics
   */
  public ServerMetrics(
      Supplier<Store> store,
      LongSupplier raftIndex,
      LongSupplier raftTerm,
      LongSupplier isLeader,
      RaftGateway gateway) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc.bindTo(registry);
    Gauge.builder("roster_store_index", () -> store.get().currentIndex())
        .description("The etcd index: mutations applied to the v2 store")
        .register(registry);
    Gauge.builder("roster_store_watchers", () -> store.get().stats().watchers())
        .description("Watchers registered on the v2 store")
        .register(registry);
    FunctionCounter.builder("roster_store_expired", store, s -> s.get().stats().expireCount())
        .description("Nodes expired by TTL since start")
        .register(registry);
    Gauge.builder("roster_raft_commit_index", raftIndex::getAsLong)
        .description("The Raft commit index")
        .register(registry);
    Gauge.builder("roster_raft_term", raftTerm::getAsLong)
        .description("The current Raft term")
        .register(registry);
    FunctionCounter.builder("roster_raft_proposals", gateway, RaftGateway::batchesSent)
        .description("Raft entries proposed for client writes (each a batch of commands)")
        .register(registry);
    FunctionCounter.builder("roster_raft_proposed_commands", gateway, RaftGateway::commandsSent)
        .description("Client write commands proposed; divide by proposals for the mean batch")
        .register(registry);
    FunctionCounter.builder(
            "roster_raft_forwarded_proposals", gateway, RaftGateway::forwardedSubmits)
        .description(
            "Raft entries proposed through the Raft client rather than into the local leader")
        .register(registry);
    Gauge.builder("roster_raft_queued_commands", gateway, RaftGateway::queued)
        .description("Write commands waiting for a free proposal slot")
        .register(registry);
    Gauge.builder("roster_raft_is_leader", isLeader::getAsLong)
        .description("1 if this member is the Raft leader")
        .register(registry);
  }

  /** The registry to export and to add metrics to. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
