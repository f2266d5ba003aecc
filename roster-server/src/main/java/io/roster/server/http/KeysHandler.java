package io.roster.server.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.roster.api.Action;
import io.roster.api.ErrorCode;
import io.roster.server.raft.WriteReply;
import io.roster.store.Outcome;
import io.roster.store.StoreError;
import io.roster.store.Watch;
import io.roster.store.WatchResult;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v2/keys}: etcd's {@code keysHandler}. Methods other than HEAD, GET, PUT, POST and DELETE
 * get 405 (without the cluster id, as etcd checks the method first); then the request is parsed and
 * validated ({@link KeyRequestParser}), planned ({@link KeyPlan}) and executed against the {@link
 * KeysBackend}.
 *
 * <p><b>Headers</b> (etcd §7): every answer carries {@code Content-Type: application/json} and
 * {@code X-Etcd-Cluster-Id}; successes add {@code X-Etcd-Index} (the write's index, or the store
 * index of a read), {@code X-Raft-Index} and {@code X-Raft-Term}; errors carry only {@code
 * X-Etcd-Index} = the error's index (0 for validation and Raft errors).
 *
 * <p><b>Bodies</b> are the store's bytes, written as they are; with {@code noValueOnSuccess} a
 * successful set, create, update or compareAndSwap answers just {@code {"action":"…"}}. A write
 * that could not be committed ({@link RaftUnavailableException}) is error 300 with the exception's
 * message as cause; any other failure is logged and answered the way etcd answers unexpected
 * errors, 300 with a generic cause. Thread-safe; never blocks.
 */
final class KeysHandler {
  private static final Logger log = LoggerFactory.getLogger(KeysHandler.class);
  static final String ALLOW = "HEAD,GET,PUT,POST,DELETE";

  private final KeysBackend backend;
  private final ClusterView cluster;
  private final HttpMetrics metrics;
  private final HttpLimits limits;

  KeysHandler(KeysBackend backend, ClusterView cluster, HttpMetrics metrics, HttpLimits limits) {
    this.backend = backend;
    this.cluster = cluster;
    this.metrics = metrics;
    this.limits = limits;
  }

  /** Answers a request whose clean path is {@code /v2/keys + keyPath}. */
  void handle(Exchange ex, String keyPath) {
    String method = ex.method();
    switch (method) {
      case "HEAD", "GET", "PUT", "POST", "DELETE" -> {}
      default -> {
        Responses.methodNotAllowed(ex, ALLOW, ex.headers());
        return;
      }
    }
    String contentType = ex.requestHeaders().get("Content-Type");
    KeyParse parsed =
        KeyRequestParser.parse(
            method, keyPath, ex.rawQuery(), contentType, ex.body(), ex.bodyError());
    if (parsed instanceof KeyParse.Invalid invalid) {
      Responses.keysError(
          ex, cluster.clusterId(), new StoreError(invalid.code(), invalid.cause(), 0));
      return;
    }
    KeyPlan plan = KeyPlan.of((KeyRequest) parsed);
    if (plan instanceof KeyPlan.Read read) {
      if (read.quorum()) {
        CompletableFuture<Outcome> f =
            backend.quorumGet(read.key(), read.recursive(), read.sorted());
        f.whenComplete(
            (outcome, error) -> {
              if (error != null) {
                failure(ex, error);
              } else {
                outcome(ex, outcome);
              }
            });
      } else {
        outcome(ex, backend.get(read.key(), read.recursive(), read.sorted()));
      }
    } else if (plan instanceof KeyPlan.Write write) {
      backend
          .propose(write.command())
          .whenComplete(
              (reply, error) -> {
                if (error != null) {
                  failure(ex, error);
                } else {
                  reply(ex, reply, write.noValueOnSuccess());
                }
              });
    } else if (plan instanceof KeyPlan.Watch watch) {
      watch(ex, watch);
    }
  }

  private void outcome(Exchange ex, Outcome outcome) {
    if (outcome instanceof StoreError error) {
      Responses.keysError(ex, cluster.clusterId(), error);
      return;
    }
    HttpHeaders h = successHeaders(ex, outcome.index());
    ex.send(HttpResponseStatus.valueOf(outcome.httpStatus()), h, outcome.body());
  }

  private void reply(Exchange ex, WriteReply reply, boolean noValueOnSuccess) {
    Action action = reply.action();
    if (action == null) {
      HttpHeaders h = ex.headers();
      h.set("Content-Type", Responses.JSON);
      h.set("X-Etcd-Cluster-Id", cluster.clusterId());
      h.set("X-Etcd-Index", Long.toString(reply.etcdIndex()));
      ex.send(HttpResponseStatus.valueOf(reply.httpStatus()), h, reply.body());
      return;
    }
    byte[] body = reply.body();
    if (noValueOnSuccess
        && (action == Action.SET
            || action == Action.CREATE
            || action == Action.UPDATE
            || action == Action.COMPARE_AND_SWAP)) {
      body = ("{\"action\":\"" + action.wire() + "\"}\n").getBytes(StandardCharsets.UTF_8);
    }
    ex.send(
        HttpResponseStatus.valueOf(reply.httpStatus()),
        successHeaders(ex, reply.etcdIndex()),
        body);
  }

  private void watch(Exchange ex, KeyPlan.Watch plan) {
    WatchResponder responder =
        new WatchResponder(ex, plan.stream(), limits.watchBacklog(), metrics);
    WatchResult result =
        backend.watch(plan.key(), plan.recursive(), plan.stream(), plan.sinceIndex(), responder);
    if (result instanceof StoreError error) {
      responder.abandon();
      Responses.keysError(ex, cluster.clusterId(), error);
    } else if (result instanceof Watch w) {
      responder.start(w, successHeaders(ex, w.etcdIndex()));
    }
  }

  private HttpHeaders successHeaders(Exchange ex, long etcdIndex) {
    HttpHeaders h = ex.headers();
    h.set("Content-Type", Responses.JSON);
    h.set("X-Etcd-Cluster-Id", cluster.clusterId());
    h.set("X-Etcd-Index", Long.toString(etcdIndex));
    h.set("X-Raft-Index", Long.toString(backend.raftIndex()));
    h.set("X-Raft-Term", Long.toString(backend.raftTerm()));
    return h;
  }

  private void failure(Exchange ex, Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    String cause;
    if (e instanceof RaftUnavailableException) {
      cause = e.getMessage() == null ? "etcdserver: request timed out" : e.getMessage();
      log.debug("keys request failed: {}", cause);
    } else {
      log.error("unexpected failure of a keys request", e);
      cause = "etcdserver: internal error";
    }
    Responses.keysError(ex, cluster.clusterId(), new StoreError(ErrorCode.RAFT_INTERNAL, cause, 0));
  }
}
