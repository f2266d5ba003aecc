package io.roster.cli.output;

import io.roster.client.KeyResponse;
import java.io.PrintWriter;

/** An unknown {@code -o} format: etcdctl complains on stderr and prints nothing else. */
public final class UnsupportedPrinter implements Printer {
  private final String format;

  /** A printer that rejects {@code format}. */
  public UnsupportedPrinter(String format) {
    this.format = format;
  }

  @Override
  public void print(KeyResponse r, PrintWriter out, PrintWriter err) {
    err.print("Unsupported output format: " + format + "\n");
  }
}
