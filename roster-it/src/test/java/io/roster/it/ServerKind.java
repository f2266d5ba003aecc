package io.roster.it;

import java.util.Locale;

/**
 * Which server a test talks to. The reference is always real etcd 3.4.23; the side under test is
 * chosen by {@link #underTest()}.
 */
enum ServerKind {
  ETCD,
  ROSTER;

  /**
   * The one-line switch: the kind that plays "the server under test". Override with {@code
   * -Droster.it.server=etcd} to run every differential test as etcd vs etcd (a self-check of the
   * harness and its normalisation).
   */
  private static final ServerKind DEFAULT_UNDER_TEST = ROSTER;

  static ServerKind underTest() {
    String prop = System.getProperty("roster.it.server", "");
    return prop.isBlank()
        ? DEFAULT_UNDER_TEST
        : ServerKind.valueOf(prop.trim().toUpperCase(Locale.ROOT));
  }
}
