package io.roster.cli.command;

import io.roster.cli.CtlFailure;
import io.roster.cli.ErrorText;
import io.roster.cli.ExitCode;
import io.roster.client.Member;
import io.roster.client.Members;
import io.roster.client.RosterClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code member list}: one line per member, {@code ID: name=… peerURLs=… clientURLs=… isLeader=…},
 * or {@code ID[unstarted]: peerURLs=…} for a member that never started. Failures exit 1 with the
 * bare error, as in etcdctl.
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "Enumerate existing cluster members.",
    footerHeading = "%nExamples:%n",
    footer = {"  rosterctl member list"})
public final class MemberListCommand extends CtlCommand {
  @Parameters(hidden = true)
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    if (!args.isEmpty()) {
      throw new CtlFailure(ExitCode.BAD_ARGS, "No arguments accepted\n");
    }
    RosterClient c = session().client();
    Members m = c.members();
    List<Member> members;
    try {
      members = m.list();
    } catch (RuntimeException e) {
      throw new CtlFailure(ExitCode.BAD_ARGS, ErrorText.describe(e, c.endpoints()) + "\n");
    }
    Member leader;
    try {
      leader = m.leader();
    } catch (RuntimeException e) {
      throw new CtlFailure(
          ExitCode.BAD_ARGS,
          "Failed to get leader:  " + ErrorText.describe(e, c.endpoints()) + "\n");
    }
    StringBuilder sb = new StringBuilder();
    for (Member x : members) {
      if (x.unstarted()) {
        sb.append(x.id()).append("[unstarted]: peerURLs=").append(join(x.peerUrls()));
      } else {
        sb.append(x.id())
            .append(": name=")
            .append(x.name())
            .append(" peerURLs=")
            .append(join(x.peerUrls()))
            .append(" clientURLs=")
            .append(join(x.clientUrls()))
            .append(" isLeader=")
            .append(x.id().equals(leader.id()));
      }
      sb.append('\n');
    }
    session().out().print(sb);
    return 0;
  }

  static String join(List<URI> urls) {
    return urls.stream().map(URI::toString).collect(Collectors.joining(","));
  }
}
