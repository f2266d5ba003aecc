package io.roster.cli.command;

import io.roster.cli.CtlFailure;
import io.roster.cli.ExitCode;
import io.roster.cli.Session;
import io.roster.client.GetOptions;
import io.roster.client.Node;
import io.roster.client.RosterClient;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code service deregister NAME ID}: deletes an instance's key. Without {@code --datacenter} the
 * instance is looked up in every datacenter of the service; an id found in several needs {@code
 * --datacenter} (exit 1). A missing instance is etcd's error 100 (exit 4).
 */
@Command(
    name = "deregister",
    mixinStandardHelpOptions = true,
    description = "Remove a registered instance.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  rosterctl service deregister web web-1",
      "  rosterctl service deregister web web-1 --datacenter eu-west",
    })
public final class ServiceDeregisterCommand extends CtlCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The service.")
  String name = "";

  @Parameters(index = "1", paramLabel = "ID", description = "The instance id.")
  String id = "";

  @Option(names = "--datacenter", paramLabel = "DC", description = "The instance's datacenter.")
  @Nullable String datacenter;

  @Mixin ServiceOptions where = new ServiceOptions();

  @Override
  public Integer call() {
    Session s = session();
    RosterClient c = s.client();
    String key;
    String dc = datacenter;
    if (dc != null) {
      key = where.root() + "/" + name + "/" + dc + "/" + id;
    } else {
      Node service =
          c.get(where.root() + "/" + name, GetOptions.defaults().withRecursive(true)).node();
      List<String> found = new ArrayList<>();
      for (Node d : service.nodes()) {
        for (Node i : d.nodes()) {
          if (!i.dir() && i.key().endsWith("/" + id)) {
            found.add(i.key());
          }
        }
      }
      if (found.isEmpty()) {
        key = where.root() + "/" + name + "/" + ServiceOptions.DEFAULT_DATACENTER + "/" + id;
      } else if (found.size() > 1) {
        throw new CtlFailure(
            ExitCode.BAD_ARGS,
            "Error:  instance " + id + " is in several datacenters: " + found + "\n",
            "name one with --datacenter");
      } else {
        key = found.get(0);
      }
    }
    c.delete(key);
    s.out().print("deregistered " + key + "\n");
    return 0;
  }
}
