package io.roster.cli.command;

import io.roster.cli.CtlFailure;
import io.roster.cli.ErrorText;
import io.roster.cli.ExitCode;
import io.roster.client.Member;
import io.roster.client.RosterClient;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code member remove ID}: removes a member by id after checking that it is listed (a name gets a
 * pointer to the id instead). Failures exit 1, as in etcdctl.
 */
@Command(
    name = "remove",
    mixinStandardHelpOptions = true,
    description = "Remove an existing member from the cluster.",
    footerHeading = "%nExamples:%n",
    footer = {"  rosterctl member remove 8e9e05c52164694d   # the id from `member list`"})
public final class MemberRemoveCommand extends CtlCommand {
  @Parameters(paramLabel = "<memberID>", description = "The member's id.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    if (args.size() != 1) {
      throw new CtlFailure(ExitCode.BAD_ARGS, "Provide a single member ID\n");
    }
    String id = args.get(0);
    RosterClient c = session().client();
    List<Member> members;
    try {
      members = c.members().list();
    } catch (RuntimeException e) {
      throw new CtlFailure(
          ExitCode.BAD_ARGS,
          "Error while verifying ID against known members: "
              + ErrorText.describe(e, c.endpoints())
              + "\n");
    }
    boolean found = false;
    StringBuilder err = new StringBuilder();
    for (Member m : members) {
      if (m.id().equals(id)) {
        found = true;
      }
      if (m.name().equals(id)) {
        err.append("Found a member named ")
            .append(m.name())
            .append("; if this is correct, please use its ID, eg:\n\tetcdctl member remove ")
            .append(m.id())
            .append('\n')
            .append(
                "For more details, read the documentation at"
                    + " https://github.com/etcd-io/etcd/blob/master/Documentation/"
                    + "runtime-configuration.md#remove-a-member\n\n");
      }
    }
    if (!found) {
      err.append("Couldn't find a member in the cluster with an ID of ").append(id).append(".\n");
      throw new CtlFailure(ExitCode.BAD_ARGS, err.toString(), "`rosterctl member list` shows ids");
    }
    session().err().print(err);
    try {
      c.members().remove(id);
    } catch (RuntimeException e) {
      throw new CtlFailure(
          ExitCode.BAD_ARGS,
          "Received an error trying to remove member "
              + id
              + ": "
              + ErrorText.describe(e, c.endpoints()));
    }
    session().out().print("Removed member " + id + " from cluster\n");
    return 0;
  }
}
