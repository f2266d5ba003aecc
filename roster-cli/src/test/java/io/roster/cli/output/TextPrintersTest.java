package io.roster.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.api.Action;
import io.roster.client.KeyResponse;
import io.roster.client.Node;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextPrintersTest {
  private static final Node K = new Node("/a/b", "v2", false, null, 0, 6, 6, List.of());
  private static final Node PREV = new Node("/a/b", "v1", false, null, 0, 5, 5, List.of());

  private static String[] print(Printer p, KeyResponse r) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    p.print(r, new PrintWriter(out), new PrintWriter(err));
    return new String[] {out.toString(), err.toString()};
  }

  @Test
  void simple_valueOrPrevValueForDelete() {
    assertThat(print(new SimplePrinter(), new KeyResponse(Action.SET, K, PREV, 6, 0, 0))[0])
        .isEqualTo("v2\n");
    Node deleted = new Node("/a/b", null, false, null, 0, 7, 6, List.of());
    assertThat(print(new SimplePrinter(), new KeyResponse(Action.DELETE, deleted, K, 7, 0, 0))[0])
        .isEqualTo("PrevNode.Value: v2\n");
    assertThat(
            print(
                new SimplePrinter(),
                new KeyResponse(Action.COMPARE_AND_DELETE, deleted, K, 7, 0, 0))[0])
        .as("only 'delete' prints the old value, as in etcdctl")
        .isEqualTo("\n");
  }

  @Test
  void extended_headersThenValue() {
    assertThat(print(new ExtendedPrinter(), new KeyResponse(Action.SET, K, PREV, 6, 0, 0))[0])
        .isEqualTo(
            "Key: /a/b\nCreated-Index: 6\nModified-Index: 6\nPrevNode.Value: v1\nTTL: 0\n"
                + "Index: 6\n\nv2\n");
    Node deleted = new Node("/a/b", null, false, null, 0, 7, 6, List.of());
    assertThat(print(new ExtendedPrinter(), new KeyResponse(Action.DELETE, deleted, K, 7, 0, 0))[0])
        .isEqualTo(
            "Key: /a/b\nCreated-Index: 6\nModified-Index: 7\nPrevNode.Value: v2\nTTL: 0\n"
                + "Index: 7\n");
  }

  @Test
  void unknownFormat_complainsOnStderrOnly() {
    String[] r = print(Printer.forFormat("yaml"), new KeyResponse(Action.SET, K, null, 6, 0, 0));
    assertThat(r[0]).isEmpty();
    assertThat(r[1]).isEqualTo("Unsupported output format: yaml\n");
    assertThat(Printer.forFormat("simple")).isInstanceOf(SimplePrinter.class);
    assertThat(Printer.forFormat("extended")).isInstanceOf(ExtendedPrinter.class);
    assertThat(Printer.forFormat("json")).isInstanceOf(JsonPrinter.class);
  }
}
