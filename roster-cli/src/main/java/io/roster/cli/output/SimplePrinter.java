package io.roster.cli.output;

import io.roster.api.Action;
import io.roster.client.KeyResponse;
import io.roster.client.Node;
import java.io.PrintWriter;

/**
 * {@code -o simple}: the node's value; for a delete, {@code PrevNode.Value: } and the old value.
 */
public final class SimplePrinter implements Printer {
  @Override
  public void print(KeyResponse r, PrintWriter out, PrintWriter err) {
    if (r.action() != Action.DELETE) {
      out.print(value(r.node()) + "\n");
    } else {
      Node prev = r.prevNode();
      out.print("PrevNode.Value: " + (prev == null ? "" : value(prev)) + "\n");
    }
  }

  static String value(Node n) {
    String v = n.value();
    return v == null ? "" : v;
  }
}
