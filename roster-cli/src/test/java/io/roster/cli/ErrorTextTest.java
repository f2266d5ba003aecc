package io.roster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.api.ErrorCode;
import io.roster.client.MembersException;
import io.roster.client.RosterException;
import io.roster.client.RosterTransportException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorTextTest {
  private static final List<URI> ONE = List.of(URI.create("http://127.0.0.1:2379"));

  @Test
  void etcdError_goClientErrorFormat() {
    RosterException e = new RosterException(ErrorCode.KEY_NOT_FOUND, "/foo", 12);
    assertThat(ErrorText.describe(e, ONE)).isEqualTo("100: Key not found (/foo) [12]");
    CtlFailure f = ErrorText.handle(e, ExitCode.SERVER_ERROR, ONE);
    assertThat(f.stderr()).isEqualTo("Error:  100: Key not found (/foo) [12]\n");
    assertThat(f.exitCode()).isEqualTo(4);
    assertThat(f.hint()).contains("does not exist");
  }

  @Test
  void etcdErrorWithoutCause_emptyParentheses() {
    RosterException e = new RosterException(ErrorCode.ROOT_READ_ONLY, null, 3);
    assertThat(ErrorText.describe(e, ONE)).isEqualTo("107: Root is read only () [3]");
  }

  @Test
  void refused_clusterErrorWithDetail_perEndpoint() {
    List<URI> two = List.of(URI.create("http://127.0.0.1:2379"), URI.create("http://h:4001"));
    RosterTransportException e =
        new RosterTransportException("no endpoint answered", new ConnectException());
    assertThat(ErrorText.handle(e, 2, two).stderr())
        .isEqualTo(
            "Error:  client: etcd cluster is unavailable or misconfigured; error #0: dial tcp"
                + " 127.0.0.1:2379: connect: connection refused\n; error #1: dial tcp h:4001:"
                + " connect: connection refused\n\nerror #0: dial tcp 127.0.0.1:2379: connect:"
                + " connection refused\nerror #1: dial tcp h:4001: connect: connection refused\n\n");
  }

  @Test
  void connectTimeout_ioTimeout_andHeaderTimeout() {
    RosterTransportException connect =
        new RosterTransportException("x", new HttpConnectTimeoutException("slow"));
    assertThat(ErrorText.describe(connect, ONE)).endsWith("dial tcp 127.0.0.1:2379: i/o timeout\n");
    RosterTransportException header =
        new RosterTransportException("x", new HttpTimeoutException("request timed out"));
    assertThat(ErrorText.describe(header, ONE))
        .isEqualTo("client: endpoint http://127.0.0.1:2379 exceeded header timeout");
  }

  @Test
  void membersError_isItsMessage() {
    assertThat(ErrorText.describe(new MembersException(500, "unexpected status code 500"), ONE))
        .isEqualTo("unexpected status code 500");
  }

  @Test
  void endpointWithoutPort_usesSchemeDefault() {
    assertThat(ErrorText.dial(URI.create("http://example.com"), new ConnectException()))
        .isEqualTo("dial tcp example.com:80: connect: connection refused");
  }
}
