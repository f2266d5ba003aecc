package io.roster.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeysTest {

  @ParameterizedTest
  @ValueSource(strings = {"/", "/a", "/a/b", "/_h", "/a b/ü", "/.x", "/..x", "/a/..b"})
  void isClean_acceptsCleanKeys(String key) {
    assertThat(Keys.isClean(key)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a", "//", "/a/", "/a//b", "/./a", "/a/..", "/a/.", "/../a"})
  void isClean_rejectsDirtyKeys(String key) {
    assertThat(Keys.isClean(key)).isFalse();
  }

  @Test
  void check_throwsOnDirtyKey() {
    assertThatThrownBy(() -> Keys.check("/a/")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parentNameChild_roundTrip() {
    assertThat(Keys.parent("/a")).isEqualTo("/");
    assertThat(Keys.parent("/a/b")).isEqualTo("/a");
    assertThat(Keys.name("/a/b")).isEqualTo("b");
    assertThat(Keys.child("/", "a")).isEqualTo("/a");
    assertThat(Keys.child("/a", "b")).isEqualTo("/a/b");
  }

  @Test
  void hiddenBelow_likeEtcdIsHidden() {
    assertThat(Keys.hiddenBelow("/s", "/s/_hid")).isTrue();
    assertThat(Keys.hiddenBelow("/s", "/s/_h/x")).isTrue();
    assertThat(Keys.hiddenBelow("/s", "/s/x/_y")).isTrue();
    assertThat(Keys.hiddenBelow("/s", "/s/x")).isFalse();
    assertThat(Keys.hiddenBelow("/_s", "/_s/x")).isFalse();
    assertThat(Keys.hiddenBelow("/", "/_x")).isTrue();
    assertThat(Keys.hiddenBelow("/", "/a/_x")).isTrue();
    assertThat(Keys.hiddenBelow("/", "/a_x")).isFalse();
    assertThat(Keys.hiddenBelow("/a/b", "/a")).isFalse();
  }

  @Test
  void compareCodePoints_matchesUtf8ByteOrder() {
    List<String> words =
        new ArrayList<>(List.of("b", "a", "ab", "A", "_", "\uffff", "😀", "\ue000", "中", "a!"));
    words.sort(Keys::compareCodePoints);
    List<String> byBytes = new ArrayList<>(words);
    byBytes.sort(
        (x, y) ->
            java.util.Arrays.compareUnsigned(
                x.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                y.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(words).isEqualTo(byBytes);
    assertThat(words.indexOf("😀")).isGreaterThan(words.indexOf("\uffff"));
  }
}
