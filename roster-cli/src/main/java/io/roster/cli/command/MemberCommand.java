package io.roster.cli.command;

import picocli.CommandLine.Command;

/** {@code member list|add|remove|update}: the cluster's members. Alone, prints its help. */
@Command(
    name = "member",
    mixinStandardHelpOptions = true,
    description = "Member add, remove and list subcommands.",
    subcommands = {
      MemberListCommand.class,
      MemberAddCommand.class,
      MemberRemoveCommand.class,
      MemberUpdateCommand.class,
    },
    synopsisSubcommandLabel = "COMMAND",
    footerHeading = "%nExamples:%n",
    footer = {
      "  rosterctl member list",
      "  rosterctl member add node4 http://10.0.0.4:2380",
      "  rosterctl member update 8e9e05c52164694d http://10.0.0.5:2380",
      "  rosterctl member remove 8e9e05c52164694d",
    })
public final class MemberCommand implements Runnable {
  @picocli.CommandLine.Spec
  @SuppressWarnings("NullAway.Init")
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
