package io.roster.cli.output;

/**
 * Text attributes for people: {@link #ANSI} escape codes at a terminal, {@link #PLAIN} (no codes at
 * all) otherwise, so pipes, files and tests see plain text. Immutable.
 */
public enum Style {
  /** No attributes. */
  PLAIN,
  /** ANSI SGR codes. */
  ANSI;

  /** Bold, e.g. table headers. */
  public String bold(String s) {
    return wrap("1", s);
  }

  /** Green, for things that are fine (UP, healthy). */
  public String green(String s) {
    return wrap("32", s);
  }

  /** Yellow, for things in transition (STARTING, DRAINING). */
  public String yellow(String s) {
    return wrap("33", s);
  }

  /** Red, for things that are wrong (OUT_OF_SERVICE, errors). */
  public String red(String s) {
    return wrap("31", s);
  }

  /** Dim, for hints. */
  public String dim(String s) {
    return wrap("2", s);
  }

  private String wrap(String code, String s) {
    return this == PLAIN || s.isEmpty() ? s : "\u001b[" + code + "m" + s + "\u001b[0m";
  }
}
