package io.roster.cli.command;

import io.roster.api.ErrorCode;
import io.roster.cli.Session;
import io.roster.cli.output.Style;
import io.roster.cli.output.Table;
import io.roster.client.GetOptions;
import io.roster.client.KeyResponse;
import io.roster.client.Node;
import io.roster.client.RosterException;
import io.roster.client.discovery.InstanceState;
import io.roster.client.discovery.ServiceInstance;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code service list [NAME]}: a table of the registered instances (all services, or one), sorted
 * by key: service, datacenter, id, address, state and the seconds left of the entry's TTL ({@code
 * -} for a permanent entry). Entries that are not instances are counted on stderr, not shown.
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List registered instances.",
    footerHeading = "%nExamples:%n",
    footer = {"  rosterctl service list", "  rosterctl service list web"})
public final class ServiceListCommand extends CtlCommand {
  @Parameters(arity = "0..1", paramLabel = "NAME", description = "Only this service.")
  @Nullable String name;

  @Mixin ServiceOptions where = new ServiceOptions();

  @Override
  public Integer call() {
    Session s = session();
    String root = where.root();
    String prefix = name == null ? root : root + "/" + name;
    Node tree;
    try {
      KeyResponse r =
          s.client().get(prefix, GetOptions.defaults().withRecursive(true).withSorted(true));
      tree = r.node();
    } catch (RosterException e) {
      if (e.code() != ErrorCode.KEY_NOT_FOUND) {
        throw e;
      }
      tree = null;
    }
    Style style = s.style();
    Table table = new Table("SERVICE", "DATACENTER", "ID", "ADDRESS", "STATE", "TTL");
    int[] skipped = {0};
    if (tree != null) {
      collect(tree, root, table, style, skipped);
    }
    if (table.size() == 0) {
      s.out().print("no instances under " + prefix + "\n");
    } else {
      s.out().print(table.render(style));
    }
    if (skipped[0] > 0) {
      s.err().print(skipped[0] + " entries under " + prefix + " are not service instances\n");
    }
    return 0;
  }

  private static void collect(Node n, String root, Table t, Style style, int[] skipped) {
    if (n.dir()) {
      for (Node c : n.nodes()) {
        collect(c, root, t, style, skipped);
      }
      return;
    }
    ServiceInstance i;
    try {
      i = ServiceInstance.parse(root, n.key(), n.value() == null ? "" : n.value());
    } catch (IllegalArgumentException e) {
      skipped[0]++;
      return;
    }
    UnaryOperator<String> same = UnaryOperator.identity();
    t.row(
        List.of(
            i.service(),
            i.datacenter(),
            i.id(),
            i.host() + ":" + i.port(),
            i.state().name(),
            n.expiration() == null ? "-" : n.ttl() + "s"),
        List.of(same, same, same, same, stateStyle(style, i.state()), same));
  }

  static UnaryOperator<String> stateStyle(Style style, InstanceState state) {
    return switch (state) {
      case UP -> style::green;
      case STARTING, DRAINING -> style::yellow;
      case OUT_OF_SERVICE -> style::red;
    };
  }
}
