package io.roster.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class VocabularyTest {

  @Test
  void statusBest_prefersOpen() {
    assertThat(Status.best(Status.BUSY, Status.OPEN)).isEqualTo(Status.OPEN);
    assertThat(Status.best(Status.CLOSED, Status.BUSY)).isEqualTo(Status.BUSY);
    assertThat(Status.worst(Status.OPEN, Status.CLOSED)).isEqualTo(Status.CLOSED);
  }

  @Test
  void endpoint_address() {
    assertThat(Endpoint.of("h", 80).address()).isEqualTo("h:80");
    assertThat(Endpoint.of("h", 80).weight()).isEqualTo(1.0);
  }

  @Test
  void endpoint_invalid_rejected() {
    assertThatThrownBy(() -> Endpoint.of(" ", 80)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Endpoint.of("h", 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Endpoint.of("h", 65536)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Endpoint("h", 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Endpoint("h", 1, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Endpoint("h", 1, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fixedSource_deliversOnceAtSubscribe() {
    List<Endpoint> list = List.of(Endpoint.of("a", 1), Endpoint.of("b", 2));
    EndpointSource source = EndpointSource.fixed(list);
    List<List<Endpoint>> seen = new ArrayList<>();

    try (EndpointSource.Subscription s = source.subscribe(seen::add)) {
      assertThat(seen).containsExactly(list);
    }
    assertThat(source.endpoints()).isEqualTo(list);
  }

  @Test
  void defaultClassifier_exceptionsAreNonRetryable() {
    ResponseClassifier<String, String> c = ResponseClassifier.exceptionsAreFailures();

    assertThat(c.classify("q", "r", null)).isEqualTo(ResponseClass.SUCCESS);
    assertThat(c.classify("q", null, new RuntimeException()))
        .isEqualTo(ResponseClass.NON_RETRYABLE_FAILURE);
    assertThat(ResponseClass.RETRYABLE_FAILURE.isFailure()).isTrue();
    assertThat(ResponseClass.SUCCESS.isFailure()).isFalse();
  }
}
