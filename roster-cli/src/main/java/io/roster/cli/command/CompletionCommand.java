package io.roster.cli.command;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code completion}: prints a bash (and zsh) completion script for every command and flag. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = "Print a bash/zsh completion script.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  source <(rosterctl completion)                 # this shell",
      "  rosterctl completion > /etc/bash_completion.d/rosterctl",
    })
public final class CompletionCommand implements Runnable {
  @Spec
  @SuppressWarnings("NullAway.Init")
  CommandSpec spec;

  @Override
  public void run() {
    String script = AutoComplete.bash("rosterctl", spec.root().commandLine());
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
  }
}
