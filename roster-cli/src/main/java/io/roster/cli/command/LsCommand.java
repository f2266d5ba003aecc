package io.roster.cli.command;

import io.roster.client.GetOptions;
import io.roster.client.KeyResponse;
import io.roster.client.Node;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ls [KEY]}: lists a directory's keys (a key lists itself), like Unix {@code ls}; with
 * {@code -o extended} or {@code -o json} it prints the whole answer in that format instead, as
 * etcdctl 3.4 does.
 */
@Command(
    name = "ls",
    mixinStandardHelpOptions = true,
    description = "Retrieve a directory.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  rosterctl ls",
      "  rosterctl ls --sort --recursive -p /services   # every key, directories end in /",
    })
public final class LsCommand extends CtlCommand {
  @Parameters(paramLabel = "[key]", description = "The directory (default /).")
  List<String> args = new ArrayList<>();

  @Option(names = "--sort", description = "Return results in sorted order.")
  boolean sort;

  @Option(
      names = {"--recursive", "-r"},
      description = "Return all key names recursively for the given path.")
  boolean recursive;

  @Option(names = "-p", description = "Append slash (/) to directories.")
  boolean slash;

  @Option(
      names = {"--quorum", "-q"},
      description = "Require quorum for the read.")
  boolean quorum;

  @Override
  public Integer call() {
    String key = args.isEmpty() ? "/" : args.get(0);
    KeyResponse r =
        session()
            .client()
            .get(
                key,
                GetOptions.defaults().withSorted(sort).withRecursive(recursive).withQuorum(quorum));
    if (!session().options().output().equals("simple")) {
      session().print(r);
      return 0;
    }
    PrintWriter out = session().out();
    StringBuilder sb = new StringBuilder();
    if (!r.node().dir()) {
      sb.append(r.node().key()).append('\n');
    }
    for (Node n : r.node().nodes()) {
      print(n, sb);
    }
    out.print(sb);
    return 0;
  }

  private void print(Node n, StringBuilder sb) {
    sb.append(n.key()).append(n.dir() && slash ? "/" : "").append('\n');
    for (Node c : n.nodes()) {
      print(c, sb);
    }
  }
}
