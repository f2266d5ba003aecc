package io.roster.cli.command;

import io.roster.cli.ErrorText;
import io.roster.cli.ExitCode;
import io.roster.cli.Session;
import io.roster.client.Member;
import io.roster.client.Members;
import io.roster.client.RosterClient;
import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cluster-health}: lists the members and asks each one's client URLs for {@code /health}
 * until one answers; healthy if any member is (exit 0), else exit 5. {@code --forever} repeats
 * every 10 s until Ctrl-C. Output and codes as etcdctl's.
 */
@Command(
    name = "cluster-health",
    mixinStandardHelpOptions = true,
    description = "Check the health of the cluster.",
    footerHeading = "%nExamples:%n",
    footer = {"  rosterctl cluster-health", "  rosterctl cluster-health --forever   # every 10 s"})
public final class ClusterHealthCommand extends CtlCommand implements LongRunning {
  @Option(
      names = {"--forever", "-f"},
      description = "Check the health every 10 seconds until Ctrl-C.")
  boolean forever;

  @Override
  public Integer call() throws InterruptedException {
    Session s = session();
    if (forever) {
      Watching.exitZeroOnInterrupt();
    }
    RosterClient c = s.client(false);
    Members api = c.members();
    List<Member> members;
    try {
      members = api.list();
    } catch (RuntimeException e) {
      s.out().print("cluster may be unhealthy: failed to list members\n");
      throw ErrorText.handle(e, ExitCode.SERVER_ERROR, c.endpoints());
    }
    PrintWriter out = s.out();
    while (true) {
      boolean healthy = false;
      for (Member m : members) {
        if (m.clientUrls().isEmpty()) {
          out.print("member " + m.id() + " is unreachable: no available published client urls\n");
          continue;
        }
        boolean checked = false;
        for (URI url : m.clientUrls()) {
          boolean ok;
          try {
            ok = api.health(url);
          } catch (RuntimeException e) {
            out.print(
                "failed to check the health of member "
                    + m.id()
                    + " on "
                    + url
                    + ": "
                    + healthError(url, e)
                    + "\n");
            continue;
          }
          checked = true;
          if (ok) {
            healthy = true;
            out.print("member " + m.id() + " is healthy: got healthy result from " + url + "\n");
          } else {
            out.print(
                "member " + m.id() + " is unhealthy: got unhealthy result from " + url + "\n");
          }
          break;
        }
        if (!checked) {
          out.print(
              "member "
                  + m.id()
                  + " is unreachable: ["
                  + m.clientUrls().stream().map(URI::toString).collect(Collectors.joining(" "))
                  + "] are all unreachable\n");
        }
      }
      out.print(healthy ? "cluster is healthy\n" : "cluster is unhealthy\n");
      out.flush();
      if (!forever) {
        return healthy ? ExitCode.SUCCESS : ExitCode.CLUSTER_NOT_HEALTHY;
      }
      out.print("\nnext check after 10 second...\n\n");
      out.flush();
      Thread.sleep(10_000);
    }
  }

  /** Go's {@code http.Client.Get} error text for the failures that are worded the same. */
  private static String healthError(URI url, RuntimeException e) {
    if (ErrorText.isConnectionFailure(e)) {
      return "Get \"" + url + "/health\": " + ErrorText.dial(url, e);
    }
    return String.valueOf(e.getMessage());
  }
}
