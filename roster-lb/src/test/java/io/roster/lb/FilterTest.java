package io.roster.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

final class FilterTest {
  private final List<String> trace = new ArrayList<>();

  private Filter<String, String, String, String> recording(String name) {
    return (request, next) -> {
      trace.add(name + ">");
      return next.apply(request + name).thenApply(rep -> rep + name);
    };
  }

  private static Service<String, String> echo() {
    return CompletableFuture::completedFuture;
  }

  private static String join(CompletionStage<String> stage) {
    return stage.toCompletableFuture().join();
  }

  @Test
  void andThen_runsOuterFilterFirst() {
    Service<String, String> s = recording("a").andThen(recording("b")).andThen(echo());

    assertThat(join(s.apply("x"))).isEqualTo("xabba");
    assertThat(trace).containsExactly("a>", "b>");
  }

  @Test
  void andThen_filterThrows_failedStage() {
    Filter<String, String, String, String> boom =
        (request, next) -> {
          throw new IllegalStateException("boom");
        };

    CompletionStage<String> stage = boom.andThen(echo()).apply("x");

    assertThat(stage.toCompletableFuture()).isCompletedExceptionally();
  }

  @Test
  void andThen_serviceThrows_failedStageSeenByFilter() {
    Service<String, String> throwing =
        request -> {
          throw new IllegalArgumentException("bad");
        };
    Filter<String, String, String, String> recover =
        (request, next) -> next.apply(request).exceptionally(t -> "recovered");

    assertThat(join(recover.andThen(throwing).apply("x"))).isEqualTo("recovered");
  }

  @Test
  void andThen_reportsStatusOfServiceBelow() {
    Service<String, String> busy =
        new Service<>() {
          @Override
          public CompletionStage<String> apply(String request) {
            return CompletableFuture.completedFuture(request);
          }

          @Override
          public Status status() {
            return Status.BUSY;
          }
        };

    assertThat(recording("a").andThen(busy).status()).isEqualTo(Status.BUSY);
  }

  @Test
  void identity_passesThrough() {
    assertThat(join(Filter.<String, String>identity().andThen(echo()).apply("x"))).isEqualTo("x");
  }

  @Test
  void andThen_canChangeTypes() {
    Filter<String, Integer, Integer, Integer> parse =
        (request, next) -> next.apply(Integer.parseInt(request));
    Service<Integer, Integer> twice = n -> CompletableFuture.completedFuture(n * 2);

    assertThat(parse.andThen(twice).apply("21").toCompletableFuture().join()).isEqualTo(42);
  }
}
