package io.roster.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemberIdsTest {

  @Test
  void memberId_matchesEtcdForItsDefaultMember() {
    // etcd 3.4 started with no flags logs member 8e9e05c52164694d in cluster cdf818194e3a8c32.
    long id = MemberIds.memberId(List.of("http://localhost:2380"), "etcd-cluster");
    assertThat(MemberIds.hex(id)).isEqualTo("8e9e05c52164694d");
    assertThat(MemberIds.hex(MemberIds.clusterId(List.of(id)))).isEqualTo("cdf818194e3a8c32");
  }

  @Test
  void memberId_ignoresPeerUrlOrder() {
    assertThat(MemberIds.memberId(List.of("http://b:1", "http://a:1"), "t"))
        .isEqualTo(MemberIds.memberId(List.of("http://a:1", "http://b:1"), "t"));
  }

  @Test
  void memberId_dependsOnToken() {
    assertThat(MemberIds.memberId(List.of("http://a:1"), "t1"))
        .isNotEqualTo(MemberIds.memberId(List.of("http://a:1"), "t2"));
  }

  @Test
  void initialCluster_parsesRepeatedNamesInOrder() {
    InitialCluster c =
        InitialCluster.parse("a=http://127.0.0.1:1,b=http://127.0.0.1:2,a=http://127.0.0.1:3");
    assertThat(c.names()).containsExactly("a", "b");
    assertThat(c.peerUrlsByName().get("a"))
        .containsExactly("http://127.0.0.1:1", "http://127.0.0.1:3");
  }

  @Test
  void initialCluster_rejectsMalformedEntries() {
    assertThatThrownBy(() -> InitialCluster.parse("a")).hasMessageContaining("name=peerURL");
    assertThatThrownBy(() -> InitialCluster.parse("a=ftp://x:1")).hasMessageContaining("scheme");
    assertThatThrownBy(() -> InitialCluster.parse("a=http://x")).hasMessageContaining("port");
    assertThatThrownBy(() -> InitialCluster.parse("a=https://x:1")).hasMessageContaining("TLS");
  }
}
