package io.roster.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roster.testkit.InProcessRoster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The members API and /health against a real in-process Roster server. */
class MembersTest {
  private static InProcessRoster roster;
  private static RosterClient client;

  @BeforeAll
  static void start() {
    roster = InProcessRoster.start("members");
    client =
        RosterClient.builder()
            .endpoints(roster.clientUrl())
            .requestTimeout(Duration.ofSeconds(5))
            .memberRefreshInterval(Duration.ZERO)
            .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    roster.close();
  }

  @Test
  void list_oneStartedMember_isTheLeader() {
    List<Member> members = client.members().list();
    assertThat(members).hasSize(1);
    Member m = members.get(0);
    assertThat(m.id()).matches("[0-9a-f]+");
    assertThat(m.unstarted()).isFalse();
    assertThat(m.name()).isNotEmpty();
    assertThat(m.clientUrls()).hasSize(1);
    assertThat(m.peerUrls()).isNotEmpty();
    assertThat(client.members().leader().id()).isEqualTo(m.id());
  }

  @Test
  void health_ofTheMember_true() {
    Member m = client.members().list().get(0);
    assertThat(client.members().health(m.clientUrls().get(0))).isTrue();
  }

  @Test
  void health_ofNothing_transportError() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      port = s.getLocalPort();
    }
    URI dead = URI.create("http://127.0.0.1:" + port);
    assertThatThrownBy(() -> client.members().health(dead))
        .isInstanceOf(RosterTransportException.class);
  }

  @Test
  void remove_unknownId_membersException() {
    assertThatThrownBy(() -> client.members().remove("deadbeef"))
        .isInstanceOf(MembersException.class)
        .satisfies(e -> assertThat(((MembersException) e).status()).isNotIn(204, 410));
  }

  @Test
  void member_copiesLists() {
    List<URI> urls = new java.util.ArrayList<>(List.of(URI.create("http://h:1")));
    Member m = new Member("1", "", urls, List.of());
    urls.clear();
    assertThat(m.peerUrls()).hasSize(1);
    assertThat(m.unstarted()).isTrue();
  }
}
