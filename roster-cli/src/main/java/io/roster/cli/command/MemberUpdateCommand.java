package io.roster.cli.command;

import io.roster.cli.CtlFailure;
import io.roster.cli.ErrorText;
import io.roster.cli.ExitCode;
import io.roster.client.RosterClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code member update ID URLS}: replaces a member's peer URLs. Failures exit 1, as in etcdctl. */
@Command(
    name = "update",
    mixinStandardHelpOptions = true,
    description = "Update an existing member in the cluster.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  rosterctl member update 8e9e05c52164694d http://10.0.0.5:2380,http://10.0.1.5:2380"
    })
public final class MemberUpdateCommand extends CtlCommand {
  @Parameters(
      paramLabel = "<memberID> <peerURLs>",
      description = "The id and comma-separated URLs.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    if (args.size() != 2) {
      throw new CtlFailure(
          ExitCode.BAD_ARGS,
          "Provide an ID and a list of comma separated peerURL (0xabcd"
              + " http://example.com,http://example1.com)\n");
    }
    String id = args.get(0);
    RosterClient c = session().client();
    try {
      c.members().update(id, PeerUrls.parse(Arrays.asList(args.get(1).split(",", -1))));
    } catch (IllegalArgumentException e) {
      throw new CtlFailure(ExitCode.BAD_ARGS, e.getMessage() + "\n");
    } catch (RuntimeException e) {
      throw new CtlFailure(ExitCode.BAD_ARGS, ErrorText.describe(e, c.endpoints()) + "\n");
    }
    session().out().print("Updated member with ID " + id + " in cluster\n");
    return 0;
  }
}
