package io.roster.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code service register|list|watch|deregister}: service discovery on the seed's layout, one key
 * per instance at {@code /services/SERVICE/DATACENTER/ID} holding JSON with {@code hostname} and
 * {@code port}. Alone, prints its help.
 */
@Command(
    name = "service",
    mixinStandardHelpOptions = true,
    description = "Register, list, watch and deregister service instances.",
    subcommands = {
      ServiceRegisterCommand.class,
      ServiceListCommand.class,
      ServiceWatchCommand.class,
      ServiceDeregisterCommand.class,
    },
    synopsisSubcommandLabel = "COMMAND",
    footerHeading = "%nExamples:%n",
    footer = {
      "  rosterctl service register web --id web-1 --host 10.0.0.5 --port 8080 --meta version=2",
      "  rosterctl service list",
      "  rosterctl service watch web",
      "  rosterctl service deregister web web-1",
      "",
      "Instances live under /services/SERVICE/DATACENTER/ID (--root changes /services);"
          + " the datacenter is \""
          + ServiceOptions.DEFAULT_DATACENTER
          + "\" unless given.",
    })
public final class ServiceCommand implements Runnable {
  @Spec
  @SuppressWarnings("NullAway.Init")
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
