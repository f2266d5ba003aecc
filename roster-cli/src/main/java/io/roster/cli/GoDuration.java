package io.roster.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Durations as etcdctl's flags take them, Go's {@code time.ParseDuration} syntax: a sequence of
 * decimal numbers with units {@code ns us µs ms s m h}, e.g. {@code 2s}, {@code 1m30s}, {@code
 * 1.5s}; a bare {@code 0} is zero. Stateless.
 */
public final class GoDuration implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  /**
   * Parses {@code text}.
   *
   * @throws CommandLine.TypeConversionException if it is not a non-negative Go duration
   */
  public static Duration parse(String text) {
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(text);
    int at = 0;
    double nanos = 0;
    while (at < text.length() && m.find(at) && m.start() == at) {
      double n = Double.parseDouble(m.group(1));
      nanos += n * unitNanos(m.group(2));
      at = m.end();
    }
    if (at != text.length() || text.isEmpty()) {
      throw new CommandLine.TypeConversionException(
          "invalid duration \"" + text + "\" (use Go's form, e.g. 500ms, 2s, 1m30s)");
    }
    return Duration.ofNanos((long) nanos);
  }

  private static double unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1;
      case "us", "µs" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "m" -> 60e9;
      default -> 3600e9;
    };
  }
}
