package io.roster.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roster.api.Action;
import io.roster.api.ErrorCode;
import io.roster.testkit.InProcessRoster;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** setDir and updateDir against a real in-process Roster server. */
class DirectoryWritesTest {
  private static InProcessRoster roster;
  private static RosterClient client;

  @BeforeAll
  static void start() {
    roster = InProcessRoster.start("dirs");
    client = RosterClient.builder().endpoints(roster.clientUrl()).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    roster.close();
  }

  @Test
  void setDir_createsWithTtl_existingDirectory_notAFile() {
    KeyResponse created = client.setDir("/dirs/a", WriteOptions.ttlOf(Duration.ofSeconds(100)));
    assertThat(created.action()).isEqualTo(Action.SET);
    assertThat(created.node().dir()).isTrue();
    assertThat(created.node().expiration()).isNotNull();
    assertThatThrownBy(() -> client.setDir("/dirs/a", WriteOptions.defaults()))
        .isInstanceOfSatisfying(
            RosterException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FILE));
  }

  @Test
  void setDir_onAKey_replacesIt() {
    client.set("/dirs/key", "v", WriteOptions.defaults());
    KeyResponse r = client.setDir("/dirs/key", WriteOptions.defaults());
    assertThat(r.node().dir()).isTrue();
    assertThat(r.prevNode()).isNotNull();
    assertThat(java.util.Objects.requireNonNull(r.prevNode()).value()).isEqualTo("v");
  }

  @Test
  void updateDir_existing_updatesTtl_missing_keyNotFound() {
    client.mkdir("/dirs/u", WriteOptions.defaults());
    KeyResponse r = client.updateDir("/dirs/u", WriteOptions.ttlOf(Duration.ofSeconds(50)));
    assertThat(r.action()).isEqualTo(Action.UPDATE);
    assertThat(r.node().ttl()).isBetween(1L, 50L);
    assertThatThrownBy(() -> client.updateDir("/dirs/none", WriteOptions.defaults()))
        .isInstanceOfSatisfying(
            RosterException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.KEY_NOT_FOUND));
  }
}
