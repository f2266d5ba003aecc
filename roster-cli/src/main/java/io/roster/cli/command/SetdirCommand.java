package io.roster.cli.command;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code setdir KEY}: puts a directory at KEY, replacing a key that is there. etcdctl's help says
 * it also updates an existing directory's TTL, but etcd answers 102 for an existing directory, and
 * so does this (use {@code updatedir}).
 */
@Command(
    name = "setdir",
    mixinStandardHelpOptions = true,
    description = "Create a new directory (replacing a key that is there).",
    footerHeading = "%nExamples:%n",
    footer = {"  rosterctl setdir /services", "  rosterctl setdir --ttl 300 /tmp/session-42"})
public final class SetdirCommand extends CtlCommand {
  @Parameters(paramLabel = "<key>", description = "The directory.")
  List<String> args = new ArrayList<>();

  @Option(names = "--ttl", paramLabel = "SECONDS", description = "Key time-to-live in seconds.")
  long ttl;

  @Override
  public Integer call() {
    String key = required(args.isEmpty() ? null : args.get(0));
    printUnlessSimple(session().client().setDir(key, ttl(ttl)));
    return 0;
  }
}
