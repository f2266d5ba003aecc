package io.roster.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerUrlsTest {
  @Test
  void parse_goMessages() {
    assertThat(PeerUrls.parse(List.of(" http://10.0.0.1:2380 ")))
        .containsExactly(URI.create("http://10.0.0.1:2380"));
    assertThatThrownBy(() -> PeerUrls.parse(List.of("notaurl")))
        .hasMessage("URL scheme must be http, https, unix, or unixs: notaurl");
    assertThatThrownBy(() -> PeerUrls.parse(List.of("http://h")))
        .hasMessage("URL address does not have the form \"host:port\": http://h");
    assertThatThrownBy(() -> PeerUrls.parse(List.of("http://h:1/p")))
        .hasMessage("URL must not contain a path: http://h:1/p");
    assertThatThrownBy(() -> PeerUrls.parse(List.of())).hasMessage("no valid URLs given");
    assertThatThrownBy(() -> PeerUrls.parse(List.of("nota url")))
        .hasMessage("URL scheme must be http, https, unix, or unixs: nota url");
    assertThatThrownBy(() -> PeerUrls.parse(List.of("http://a b:1")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void goQuote_escapesLikePercentQ() {
    assertThat(MemberAddCommand.goQuote("a=http://h:1,b")).isEqualTo("\"a=http://h:1,b\"");
    assertThat(MemberAddCommand.goQuote("q\"b\\\n\u0001")).isEqualTo("\"q\\\"b\\\\\\n\\x01\"");
  }
}
