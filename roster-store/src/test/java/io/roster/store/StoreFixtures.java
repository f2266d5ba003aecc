package io.roster.store;

import java.nio.charset.StandardCharsets;

/** Shared constants and helpers for store tests. */
final class StoreFixtures {
  /** 2026-11-24T21:40:00Z in epoch nanoseconds. */
  static final long NOW = 1_795_556_400L * 1_000_000_000L;

  static final String NOW_TEXT = "2026-11-24T21:40:00Z";

  static final long SECOND = 1_000_000_000L;

  private StoreFixtures() {}

  static String body(Outcome o) {
    return new String(o.body(), StandardCharsets.UTF_8);
  }

  static String body(Event e) {
    return new String(e.body(), StandardCharsets.UTF_8);
  }

  /** The body without its trailing newline, for readable assertions. */
  static String json(Outcome o) {
    String s = body(o);
    if (!s.endsWith("\n")) {
      throw new AssertionError("body without newline: " + s);
    }
    return s.substring(0, s.length() - 1);
  }

  static Outcome setFile(Store s, String key, String value) {
    return s.set(key, false, value, null, false, NOW);
  }

  static Outcome mkdir(Store s, String key) {
    return s.set(key, true, "", null, false, NOW);
  }
}
