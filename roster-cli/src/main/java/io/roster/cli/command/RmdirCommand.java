package io.roster.cli.command;

import io.roster.client.KeyResponse;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rmdir KEY}: deletes an empty directory (or a key). */
@Command(
    name = "rmdir",
    mixinStandardHelpOptions = true,
    description = "Remove the key if it is an empty directory or a key-value pair.",
    footerHeading = "%nExamples:%n",
    footer = {"  rosterctl rmdir /tmp/empty"})
public final class RmdirCommand extends CtlCommand {
  @Parameters(paramLabel = "<key>", description = "The directory.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    String key = required(args.isEmpty() ? null : args.get(0));
    KeyResponse r = session().client().deleteDir(key, false);
    if (!r.node().dir() || !session().options().output().equals("simple")) {
      session().print(r);
    }
    return 0;
  }
}
