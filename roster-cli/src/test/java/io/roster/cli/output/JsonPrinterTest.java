package io.roster.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.api.Action;
import io.roster.client.KeyResponse;
import io.roster.client.Node;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class JsonPrinterTest {
  private static Node key(String key, @Nullable String value, long created, long modified) {
    return new Node(key, value, false, null, 0, modified, created, List.of());
  }

  @Test
  void set_goFieldOrderNullNodesAndNullPrevNode() {
    KeyResponse r = new KeyResponse(Action.SET, key("/a/b", "v", 4, 4), null, 4, 0, 0);
    assertThat(JsonPrinter.toJson(r))
        .isEqualTo(
            "{\"action\":\"set\",\"node\":{\"key\":\"/a/b\",\"value\":\"v\",\"nodes\":null,"
                + "\"createdIndex\":4,\"modifiedIndex\":4},\"prevNode\":null}");
  }

  @Test
  void strings_escapedAsGoDoes() {
    KeyResponse r =
        new KeyResponse(
            Action.SET, key("/k", "v<&>\"x\u2028\u2029\n\t\r\u0001\u001fé\\", 1, 1), null, 1, 0, 0);
    assertThat(JsonPrinter.toJson(r))
        .contains(
            "\"value\":\"v\\u003c\\u0026\\u003e\\\"x\\u2028\\u2029\\n\\t\\r\\u0001\\u001fé\\\\\"");
  }

  @Test
  void directoryWithTtl_dirTrueEmptyValueExpirationAndTtl() {
    Node dir =
        new Node(
            "/d",
            null,
            true,
            Instant.parse("2026-11-25T01:41:56.261689712Z"),
            100,
            9,
            9,
            List.of());
    KeyResponse r = new KeyResponse(Action.CREATE, dir, null, 9, 0, 0);
    assertThat(JsonPrinter.toJson(r))
        .isEqualTo(
            "{\"action\":\"create\",\"node\":{\"key\":\"/d\",\"dir\":true,\"value\":\"\","
                + "\"nodes\":null,\"createdIndex\":9,\"modifiedIndex\":9,"
                + "\"expiration\":\"2026-11-25T01:41:56.261689712Z\",\"ttl\":100},"
                + "\"prevNode\":null}");
  }

  @Test
  void delete_nodeWithoutValue_prevNodePrinted_childrenNested() {
    Node child = key("/d/c", "x", 2, 2);
    Node dir = new Node("/d", null, true, null, 0, 3, 1, List.of(child));
    KeyResponse r = new KeyResponse(Action.DELETE, key("/d", null, 1, 5), dir, 5, 0, 0);
    assertThat(JsonPrinter.toJson(r))
        .isEqualTo(
            "{\"action\":\"delete\",\"node\":{\"key\":\"/d\",\"value\":\"\",\"nodes\":null,"
                + "\"createdIndex\":1,\"modifiedIndex\":5},\"prevNode\":{\"key\":\"/d\","
                + "\"dir\":true,\"value\":\"\",\"nodes\":[{\"key\":\"/d/c\",\"value\":\"x\","
                + "\"nodes\":null,\"createdIndex\":2,\"modifiedIndex\":2}],\"createdIndex\":1,"
                + "\"modifiedIndex\":3}}");
  }

  @Test
  void print_endsWithNewline() {
    StringWriter out = new StringWriter();
    new JsonPrinter()
        .print(
            new KeyResponse(Action.GET, key("/k", "v", 1, 1), null, 1, 0, 0),
            new PrintWriter(out),
            new PrintWriter(new StringWriter()));
    assertThat(out.toString()).endsWith("}\n").doesNotContain("\n{");
  }
}
