package io.roster.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roster.api.Action;
import org.junit.jupiter.api.Test;

class EventHistoryTest {

  private static Event event(Action action, String key, boolean dir, long index, boolean refresh) {
    return new Event(action, key, dir, index, false, refresh, new byte[0]);
  }

  private static Event set(String key, long index) {
    return event(Action.SET, key, false, index, false);
  }

  @Test
  void add_keepsLastThousand() {
    EventHistory h = new EventHistory();
    assertThat(h.isEmpty()).isTrue();
    assertThat(h.oldestIndex()).isZero();
    for (long i = 1; i <= 1100; i++) {
      h.add(set("/k", i));
    }
    assertThat(h.oldestIndex()).isEqualTo(101);
    assertThat(h.lastIndex()).isEqualTo(1100);
    assertThat(h.size()).isEqualTo(EventHistory.CAPACITY);
    assertThat(h.get(101).index()).isEqualTo(101);
    assertThat(h.get(1100).index()).isEqualTo(1100);
    assertThatThrownBy(() -> h.get(100)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void add_mayStartAtAnyIndexButMustBeContiguous() {
    EventHistory h = new EventHistory();
    h.add(set("/k", 40));
    assertThat(h.oldestIndex()).isEqualTo(40);
    assertThatThrownBy(() -> h.add(set("/k", 42))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void matches_exact() {
    assertThat(EventHistory.matches(set("/a", 1), "/a", false)).isTrue();
    assertThat(EventHistory.matches(set("/a/b", 1), "/a", false)).isFalse();
  }

  @Test
  void matches_recursiveNeedsSlashBoundary() {
    assertThat(EventHistory.matches(set("/a/b", 1), "/a", true)).isTrue();
    assertThat(EventHistory.matches(set("/ab", 1), "/a", true)).isFalse();
    assertThat(EventHistory.matches(set("/ab", 1), "/", true)).isTrue();
  }

  @Test
  void matches_hiddenNotFiltered() {
    assertThat(EventHistory.matches(set("/a/_h", 1), "/a", true)).isTrue();
  }

  @Test
  void matches_refreshNeverMatches() {
    assertThat(EventHistory.matches(event(Action.SET, "/a", false, 1, true), "/a", false))
        .isFalse();
  }

  @Test
  void matches_deletedOrExpiredDirectoryIsStringPrefix() {
    assertThat(EventHistory.matches(event(Action.DELETE, "/zz", true, 1, false), "/zzz", false))
        .isTrue();
    assertThat(EventHistory.matches(event(Action.EXPIRE, "/zz", true, 1, false), "/zz/a", false))
        .isTrue();
    assertThat(EventHistory.matches(event(Action.DELETE, "/zz", false, 1, false), "/zzz", false))
        .isFalse();
    assertThat(EventHistory.matches(event(Action.SET, "/zz", true, 1, false), "/zz/a", false))
        .isFalse();
    assertThat(
            EventHistory.matches(
                event(Action.COMPARE_AND_DELETE, "/zz", false, 1, false), "/zz/a", false))
        .isFalse();
  }
}
