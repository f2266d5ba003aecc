package io.roster.cli.command;

import io.roster.cli.CtlFailure;
import io.roster.cli.ErrorText;
import io.roster.cli.ExitCode;
import io.roster.client.Member;
import io.roster.client.RosterClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code member add NAME PEER_URL}: adds a member and prints the environment it must start with
 * ({@code ETCD_NAME}, {@code ETCD_INITIAL_CLUSTER}, {@code ETCD_INITIAL_CLUSTER_STATE}). Failures
 * exit 1 with the bare error, as in etcdctl.
 */
@Command(
    name = "add",
    mixinStandardHelpOptions = true,
    description = "Add a new member to the cluster.",
    footerHeading = "%nExamples:%n",
    footer = {"  rosterctl member add node4 http://10.0.0.4:2380"})
public final class MemberAddCommand extends CtlCommand {
  @Parameters(paramLabel = "<name> <peerURL>", description = "The new member's name and peer URL.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    if (args.size() != 2) {
      throw new CtlFailure(ExitCode.BAD_ARGS, "Provide a name and a single member peerURL\n");
    }
    RosterClient c = session().client();
    String name = args.get(0);
    Member added;
    try {
      added = c.members().add(PeerUrls.parse(List.of(args.get(1))).get(0));
    } catch (RuntimeException e) {
      throw new CtlFailure(ExitCode.BAD_ARGS, message(e, c) + "\n");
    }
    StringBuilder sb = new StringBuilder();
    sb.append("Added member named ")
        .append(name)
        .append(" with ID ")
        .append(added.id())
        .append(" to cluster\n");
    List<Member> members;
    try {
      members = c.members().list();
    } catch (RuntimeException e) {
      session().out().print(sb);
      throw new CtlFailure(ExitCode.BAD_ARGS, message(e, c) + "\n");
    }
    List<String> conf = new ArrayList<>();
    for (Member m : members) {
      for (URI u : m.peerUrls()) {
        conf.add((m.id().equals(added.id()) ? name : m.name()) + "=" + u);
      }
    }
    sb.append('\n');
    sb.append("ETCD_NAME=").append(goQuote(name)).append('\n');
    sb.append("ETCD_INITIAL_CLUSTER=").append(goQuote(String.join(",", conf))).append('\n');
    sb.append("ETCD_INITIAL_CLUSTER_STATE=\"existing\"\n");
    session().out().print(sb);
    return 0;
  }

  private static String message(RuntimeException e, RosterClient c) {
    return e instanceof IllegalArgumentException
        ? String.valueOf(e.getMessage())
        : ErrorText.describe(e, c.endpoints());
  }

  /** Go's {@code %q} for printable text: double quotes, with {@code "} and {@code \} escaped. */
  static String goQuote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (ch < 0x20 || ch == 0x7f) {
            sb.append(String.format("\\x%02x", (int) ch));
          } else {
            sb.append(ch);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
