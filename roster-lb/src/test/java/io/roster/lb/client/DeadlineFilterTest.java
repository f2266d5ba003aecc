package io.roster.lb.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.lb.FakeScheduler;
import io.roster.lb.http.DeadlineExceededException;
import io.roster.lb.http.HttpRequest;
import io.roster.lb.http.HttpResponse;
import io.roster.testkit.ManualClock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

final class DeadlineFilterTest {
  private final ManualClock clock = new ManualClock(0);
  private final FakeScheduler scheduler = new FakeScheduler(clock);
  private final DeadlineFilter filter = new DeadlineFilter(scheduler, clock);

  private Call call(Duration budget) {
    return new Call(HttpRequest.get("/"), 0, budget.toNanos(), true);
  }

  @Test
  void answerInTime_passesThrough() {
    CompletableFuture<HttpResponse> reply = new CompletableFuture<>();
    CompletableFuture<HttpResponse> out =
        filter.andThen(c -> reply).apply(call(Duration.ofSeconds(1))).toCompletableFuture();

    reply.complete(new HttpResponse(200, Map.of(), new byte[0]));

    assertThat(out.join().status()).isEqualTo(200);
    assertThat(filter.exceeded()).isZero();
  }

  @Test
  void noAnswer_failsAtDeadline_andCancelsAttempts() {
    Call c = call(Duration.ofSeconds(1));
    Attempt a = c.newAttempt(0);
    CompletableFuture<HttpResponse> out =
        filter.andThen(x -> new CompletableFuture<HttpResponse>()).apply(c).toCompletableFuture();

    scheduler.advance(Duration.ofMillis(999));
    assertThat(out).isNotDone();
    scheduler.advance(Duration.ofMillis(1));

    assertThat(out).isCompletedExceptionally();
    assertThat(out.handle((r, e) -> e).join()).isInstanceOf(DeadlineExceededException.class);
    assertThat(a.cancellation.cancelled()).isTrue();
    assertThat(filter.exceeded()).isEqualTo(1);
  }

  @Test
  void deadlineAlreadyPassed_failsAtOnce() {
    Call c = call(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(2));
    boolean[] called = {false};

    CompletableFuture<HttpResponse> out =
        filter
            .andThen(
                x -> {
                  called[0] = true;
                  return new CompletableFuture<HttpResponse>();
                })
            .apply(c)
            .toCompletableFuture();

    assertThat(out).isCompletedExceptionally();
    assertThat(called[0]).isFalse();
  }
}
