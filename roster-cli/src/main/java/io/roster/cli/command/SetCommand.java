package io.roster.cli.command;

import io.roster.client.Compare;
import io.roster.client.KeyResponse;
import io.roster.client.RosterClient;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code set KEY VALUE}: sets a key whatever it holds ({@code set}), or with {@code
 * --swap-with-value}/{@code --swap-with-index} only if it matches ({@code compareAndSwap}). The
 * value comes from standard input when not given.
 */
@Command(
    name = "set",
    mixinStandardHelpOptions = true,
    description = "Set the value of a key.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  rosterctl set /config/mode fast",
      "  rosterctl set --ttl 30 /locks/job-1 worker-7",
      "  rosterctl set --swap-with-value fast /config/mode slow   # only if it is 'fast'",
      "  echo -n '{\"a\":1}' | rosterctl set /config/json         # value from stdin",
      "  rosterctl set -- /k -starts-with-dash",
    })
public final class SetCommand extends CtlCommand {
  @Parameters(paramLabel = "<key> <value>", description = "The key and its new value.")
  List<String> args = new ArrayList<>();

  @Option(names = "--ttl", paramLabel = "SECONDS", description = "Key time-to-live in seconds.")
  long ttl;

  @Option(
      names = "--swap-with-value",
      paramLabel = "VALUE",
      description = "Only if the current value is this.")
  String swapWithValue = "";

  @Option(
      names = "--swap-with-index",
      paramLabel = "INDEX",
      description = "Only if the current modified index is this.")
  long swapWithIndex;

  @Override
  public Integer call() {
    String key = required(args.isEmpty() ? null : args.get(0));
    String value = session().argOrStdin(args, 1);
    RosterClient c = session().client();
    KeyResponse r;
    if (!swapWithValue.isEmpty() || swapWithIndex > 0) {
      Compare cmp = new Compare(swapWithValue.isEmpty() ? null : swapWithValue, swapWithIndex);
      r = c.compareAndSwap(key, value, cmp, ttl(ttl));
    } else {
      r = c.set(key, value, ttl(ttl));
    }
    session().print(r);
    return 0;
  }
}
