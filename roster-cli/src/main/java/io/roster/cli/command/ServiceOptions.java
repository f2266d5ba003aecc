package io.roster.cli.command;

import io.roster.client.discovery.ServiceRegistry;
import picocli.CommandLine.Option;

/** The option every service command has: where instances live. Plain fields picocli fills in. */
final class ServiceOptions {
  /** The datacenter of instances registered without {@code --datacenter}. */
  static final String DEFAULT_DATACENTER = "default";

  @Option(
      names = "--root",
      paramLabel = "DIR",
      defaultValue = ServiceRegistry.DEFAULT_ROOT,
      description = "The directory instances live under (default: ${DEFAULT-VALUE}).")
  String root = ServiceRegistry.DEFAULT_ROOT;

  /** The root without a trailing slash. */
  String root() {
    return root.endsWith("/") && root.length() > 1 ? root.substring(0, root.length() - 1) : root;
  }
}
