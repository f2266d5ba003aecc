package io.roster.cli.output;

import io.roster.api.Action;
import io.roster.client.KeyResponse;
import io.roster.client.Node;
import java.io.PrintWriter;

/**
 * {@code -o extended}: RFC 2822-style header lines (key, created and modified index, previous
 * value, TTL, the answer's {@code X-Etcd-Index}), then a blank line and the value.
 */
public final class ExtendedPrinter implements Printer {
  @Override
  public void print(KeyResponse r, PrintWriter out, PrintWriter err) {
    Node n = r.node();
    StringBuilder sb = new StringBuilder();
    sb.append("Key: ").append(n.key()).append('\n');
    sb.append("Created-Index: ").append(n.createdIndex()).append('\n');
    sb.append("Modified-Index: ").append(n.modifiedIndex()).append('\n');
    Node prev = r.prevNode();
    if (prev != null) {
      sb.append("PrevNode.Value: ").append(SimplePrinter.value(prev)).append('\n');
    }
    sb.append("TTL: ").append(n.ttl()).append('\n');
    sb.append("Index: ").append(r.etcdIndex()).append('\n');
    if (r.action() != Action.DELETE) {
      sb.append('\n').append(SimplePrinter.value(n)).append('\n');
    }
    out.print(sb);
  }
}
