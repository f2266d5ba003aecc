package io.roster.cli.command;

import io.roster.cli.CtlFailure;
import io.roster.cli.ExitCode;
import io.roster.client.GetOptions;
import io.roster.client.KeyResponse;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code get KEY}: prints a key's value; a directory is an error (exit 1), as in etcdctl. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "Retrieve the value of a key.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  rosterctl get /config/mode",
      "  rosterctl -o extended get /config/mode    # with indexes and TTL",
      "  rosterctl -o json get /config/mode",
      "  rosterctl get --quorum /config/mode       # linearizable read",
    })
public final class GetCommand extends CtlCommand {
  @Parameters(paramLabel = "<key>", description = "The key.")
  List<String> args = new ArrayList<>();

  @Option(names = "--sort", description = "Return results in sorted order.")
  boolean sort;

  @Option(
      names = {"--quorum", "-q"},
      description = "Require quorum for the read.")
  boolean quorum;

  @Override
  public Integer call() {
    String key = required(args.isEmpty() ? null : args.get(0));
    KeyResponse r =
        session().client().get(key, GetOptions.defaults().withSorted(sort).withQuorum(quorum));
    if (r.node().dir()) {
      throw new CtlFailure(
          ExitCode.BAD_ARGS,
          r.node().key() + ": is a directory\n",
          "list it with `rosterctl ls " + r.node().key() + "`");
    }
    session().print(r);
    return 0;
  }
}
