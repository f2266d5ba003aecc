package io.roster.server.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The leader-local write path, against a recording fake of Ratis's submit and client. */
class LocalSubmitterTest {
  private static final RaftGroupMemberId MEMBER =
      RaftGroupMemberId.valueOf(RaftPeerId.valueOf("m1"), RaftGroupId.randomId());

  private final AtomicBoolean readyLeader = new AtomicBoolean(true);
  private final List<RaftClientRequest> submitted = new CopyOnWriteArrayList<>();
  private final List<Message> forwarded = new CopyOnWriteArrayList<>();
  private final List<String> replyThreads = new CopyOnWriteArrayList<>();
  private LocalSubmitter submitter = newSubmitter(RecordingServer.echo(submitted));

  @AfterEach
  void close() {
    submitter.close();
  }

  private LocalSubmitter newSubmitter(RaftClientAsynchronousProtocol server) {
    Function<Message, CompletableFuture<RaftClientReply>> forward =
        m -> {
          forwarded.add(m);
          return CompletableFuture.completedFuture(success(clientRequest(m), m, 999));
        };
    return new LocalSubmitter(readyLeader::get, server, MEMBER, forward);
  }

  private static Message msg(String s) {
    return Message.valueOf(s);
  }

  private static String text(RaftClientReply r) {
    return r.getMessage().getContent().toString(StandardCharsets.UTF_8);
  }

  private static RaftClientRequest clientRequest(Message m) {
    return RaftClientRequest.newBuilder()
        .setClientId(ClientId.randomId())
        .setServerId(MEMBER.getPeerId())
        .setGroupId(MEMBER.getGroupId())
        .setMessage(m)
        .setType(RaftClientRequest.writeRequestType())
        .build();
  }

  private static RaftClientReply success(RaftClientRequest request, Message m, long index) {
    return RaftClientReply.newBuilder()
        .setRequest(request)
        .setSuccess()
        .setMessage(m)
        .setLogIndex(index)
        .build();
  }

  private static RaftClientReply failure(RaftClientRequest request, RaftException e) {
    return RaftClientReply.newBuilder().setRequest(request).setException(e).build();
  }

  /** Fakes of {@code RaftServer.submitClientRequestAsync}. */
  private static final class RecordingServer {
    static RaftClientAsynchronousProtocol echo(List<RaftClientRequest> log) {
      return request -> {
        log.add(request);
        return CompletableFuture.completedFuture(
            success(request, request.getMessage(), request.getCallId()));
      };
    }

    static RaftClientAsynchronousProtocol failing(
        List<RaftClientRequest> log, Function<RaftClientRequest, RaftException> error) {
      return request -> {
        log.add(request);
        return CompletableFuture.completedFuture(failure(request, error.apply(request)));
      };
    }
  }

  @Test
  void send_asReadyLeader_submitsLocallyInOrderWithFreshCallIds() throws Exception {
    List<CompletableFuture<RaftClientReply>> replies = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      replies.add(submitter.send(msg("e" + i)));
    }
    for (int i = 0; i < 200; i++) {
      RaftClientReply r = replies.get(i).get(5, TimeUnit.SECONDS);
      assertThat(r.isSuccess()).isTrue();
      assertThat(text(r)).isEqualTo("e" + i);
    }
    assertThat(submitted).hasSize(200);
    for (int i = 0; i < 200; i++) {
      RaftClientRequest q = submitted.get(i);
      assertThat(q.getMessage().getContent().toString(StandardCharsets.UTF_8)).isEqualTo("e" + i);
      assertThat(q.getCallId()).isEqualTo(i + 1L);
      assertThat(q.getServerId()).isEqualTo(MEMBER.getPeerId());
      assertThat(q.getRaftGroupId()).isEqualTo(MEMBER.getGroupId());
      assertThat(q.is(org.apache.ratis.proto.RaftProtos.RaftClientRequestProto.TypeCase.WRITE))
          .isTrue();
    }
    assertThat(submitted)
        .extracting(RaftClientRequest::getClientId)
        .containsOnly(submitted.get(0).getClientId());
    assertThat(forwarded).isEmpty();
    assertThat(submitter.localSubmits()).isEqualTo(200);
    assertThat(submitter.forwarded()).isZero();
  }

  @Test
  void send_notLeader_forwardsThroughTheClient() throws Exception {
    readyLeader.set(false);
    RaftClientReply r = submitter.send(msg("x")).get(5, TimeUnit.SECONDS);
    assertThat(text(r)).isEqualTo("x");
    assertThat(submitted).isEmpty();
    assertThat(forwarded).extracting(m -> m.getContent().toStringUtf8()).containsExactly("x");
  }

  @Test
  void send_leaderNotReadyReply_wasNotAppendedSoIsForwardedOnce() throws Exception {
    submitter.close();
    submitter =
        newSubmitter(RecordingServer.failing(submitted, q -> new LeaderNotReadyException(MEMBER)));
    RaftClientReply r = submitter.send(msg("x")).get(5, TimeUnit.SECONDS);
    assertThat(r.isSuccess()).isTrue();
    assertThat(r.getLogIndex()).isEqualTo(999);
    assertThat(submitted).hasSize(1);
    assertThat(forwarded).hasSize(1);
  }

  @Test
  void send_leaderSteppingDownReply_isForwardedOnce() throws Exception {
    submitter.close();
    submitter =
        newSubmitter(
            RecordingServer.failing(submitted, q -> new LeaderSteppingDownException("stepping")));
    assertThat(submitter.send(msg("x")).get(5, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(forwarded).hasSize(1);
  }

  @Test
  void send_notLeaderReply_mayHaveBeenAppendedSoIsNeverResent() throws Exception {
    submitter.close();
    submitter =
        newSubmitter(
            RecordingServer.failing(
                submitted, q -> new NotLeaderException(MEMBER, null, List.of())));
    RaftClientReply r = submitter.send(msg("x")).get(5, TimeUnit.SECONDS);
    assertThat(r.isSuccess()).isFalse();
    assertThat(r.getNotLeaderException()).isNotNull();
    assertThat(submitted).hasSize(1);
    assertThat(forwarded).isEmpty();
  }

  @Test
  void send_submitThrows_failsTheEntry() {
    submitter.close();
    submitter =
        newSubmitter(
            request -> {
              throw new IOException("server closed");
            });
    assertThatThrownBy(() -> submitter.send(msg("x")).get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage("server closed");
    assertThat(forwarded).isEmpty();
  }

  @Test
  void send_replyCompletedByRatisThread_isHandledOnTheSubmitThread() throws Exception {
    CompletableFuture<RaftClientReply> pending = new CompletableFuture<>();
    List<RaftClientRequest> requests = new CopyOnWriteArrayList<>();
    submitter.close();
    submitter =
        newSubmitter(
            request -> {
              requests.add(request);
              return pending;
            });
    CompletableFuture<RaftClientReply> reply = submitter.send(msg("x"));
    CompletableFuture<Void> observed =
        reply.thenAccept(r -> replyThreads.add(Thread.currentThread().getName()));
    while (requests.isEmpty()) {
      Thread.onSpinWait();
    }
    Thread ratis =
        new Thread(
            () -> pending.complete(success(requests.get(0), msg("x"), 1)),
            "fake-StateMachineUpdater");
    ratis.start();
    ratis.join();
    observed.get(5, TimeUnit.SECONDS);
    assertThat(replyThreads).containsExactly("roster-raft-submit");
  }
}
