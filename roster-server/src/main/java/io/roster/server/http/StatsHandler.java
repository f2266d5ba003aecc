package io.roster.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.roster.store.StoreStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code /v2/stats/self}, {@code /leader} and {@code /store} (etcd {@code statsHandler}): GET only
 * (405 {@code Allow: GET}), JSON without a trailing newline and without the cluster id, as etcd
 * writes them.
 *
 * <p>Divergences: the raft transport counters ({@code recvAppendRequestCnt}, {@code
 * sendAppendRequestCnt}) are always 0 and the optional rate fields are left out, and the leader's
 * {@code followers} map lists each other member with zeroed latency and counts: {@link ClusterView}
 * does not expose per-peer transport statistics yet. Thread-safe.
 */
final class StatsHandler {
  private final ClusterView cluster;
  private final Clock clock;

  StatsHandler(ClusterView cluster, Clock clock) {
    this.cluster = cluster;
    this.clock = clock;
  }

  void handleSelf(Exchange ex) {
    if (!getOnly(ex)) {
      return;
    }
    ClusterView.Member self = cluster.self();
    Optional<ClusterView.Member> leader = cluster.leader();
    Instant leaderSince = cluster.leaderSince();
    long uptime = Duration.between(leaderSince, clock.instant()).toNanos();
    JsonText j =
        new JsonText()
            .beginObject()
            .field("name", self.name())
            .field("id", self.id())
            .field("state", cluster.raftState())
            .field("startTime", GoTime.rfc3339Nano(cluster.startTime()))
            .name("leaderInfo")
            .beginObject()
            .field("leader", leader.map(ClusterView.Member::id).orElse(""))
            .field("uptime", GoTime.duration(uptime))
            .field("startTime", GoTime.rfc3339Nano(leaderSince))
            .endObject()
            .field("recvAppendRequestCnt", 0)
            .field("sendAppendRequestCnt", 0)
            .endObject();
    Responses.json(ex, ex.headers(), j.toBytes(false));
  }

  void handleLeader(Exchange ex) {
    if (!getOnly(ex)) {
      return;
    }
    ClusterView.Member self = cluster.self();
    Optional<ClusterView.Member> leader = cluster.leader();
    if (leader.isEmpty() || !leader.get().id().equals(self.id())) {
      Responses.message(ex, HttpResponseStatus.FORBIDDEN, "not current leader", null);
      return;
    }
    JsonText j =
        new JsonText().beginObject().field("leader", self.id()).name("followers").beginObject();
    for (ClusterView.Member m : cluster.members()) {
      if (m.id().equals(self.id())) {
        continue;
      }
      j.name(m.id())
          .beginObject()
          .name("latency")
          .beginObject()
          .field("current", 0)
          .field("average", 0)
          .field("standardDeviation", 0)
          .field("minimum", 0)
          .field("maximum", 0)
          .endObject()
          .name("counts")
          .beginObject()
          .field("fail", 0)
          .field("success", 0)
          .endObject()
          .endObject();
    }
    Responses.json(ex, ex.headers(), j.endObject().endObject().toBytes(false));
  }

  void handleStore(Exchange ex) {
    if (!getOnly(ex)) {
      return;
    }
    StoreStats s = cluster.storeStats();
    JsonText j =
        new JsonText()
            .beginObject()
            .field("getsSuccess", s.getsSuccess())
            .field("getsFail", s.getsFail())
            .field("setsSuccess", s.setsSuccess())
            .field("setsFail", s.setsFail())
            .field("deleteSuccess", s.deleteSuccess())
            .field("deleteFail", s.deleteFail())
            .field("updateSuccess", s.updateSuccess())
            .field("updateFail", s.updateFail())
            .field("createSuccess", s.createSuccess())
            .field("createFail", s.createFail())
            .field("compareAndSwapSuccess", s.compareAndSwapSuccess())
            .field("compareAndSwapFail", s.compareAndSwapFail())
            .field("compareAndDeleteSuccess", s.compareAndDeleteSuccess())
            .field("compareAndDeleteFail", s.compareAndDeleteFail())
            .field("expireCount", s.expireCount())
            .field("watchers", s.watchers())
            .endObject();
    Responses.json(ex, ex.headers(), j.toBytes(false));
  }

  private static boolean getOnly(Exchange ex) {
    if (ex.method().equals("GET")) {
      return true;
    }
    Responses.methodNotAllowed(ex, "GET", ex.headers());
    return false;
  }
}
