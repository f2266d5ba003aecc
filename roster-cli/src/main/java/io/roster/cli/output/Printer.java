package io.roster.cli.output;

import io.roster.client.KeyResponse;
import java.io.PrintWriter;

/**
 * Prints one keys-API answer (or watch event) in one {@code -o} format, exactly as etcdctl's {@code
 * printResponseKey} does. Implementations are stateless and thread-safe.
 */
public interface Printer {
  /** Writes {@code r} to {@code out}; {@code err} is for etcdctl's own complaints. */
  void print(KeyResponse r, PrintWriter out, PrintWriter err);

  /**
   * The printer for {@code format}: {@code simple}, {@code extended} or {@code json}. Any other
   * name gives a printer that, as etcdctl does, only says {@code Unsupported output format} on
   * standard error (the command itself still runs and succeeds).
   */
  static Printer forFormat(String format) {
    return switch (format) {
      case "simple" -> new SimplePrinter();
      case "extended" -> new ExtendedPrinter();
      case "json" -> new JsonPrinter();
      default -> new UnsupportedPrinter(format);
    };
  }
}
