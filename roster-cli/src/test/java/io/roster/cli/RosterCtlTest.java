package io.roster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.cli.command.ExecWatchCommand;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Argument parsing, help and the errors rosterctl reports before (or without) talking to a server,
 * run in-process through {@link RosterCtl#run}.
 */
class RosterCtlTest {
  /** One in-process run's exit code and output. */
  record Run(int exit, String out, String err) {}

  static Run runWithStdin(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Session s =
        new Session(
            new PrintWriter(out),
            new PrintWriter(err),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            Map.of(),
            false);
    int code = RosterCtl.run(s, args);
    s.close();
    return new Run(code, out.toString(), err.toString());
  }

  static Run run(String... args) {
    return runWithStdin("", args);
  }

  @Test
  void noArguments_printsUsage_exit0() {
    Run r = run();
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Usage: rosterctl", "Commands:", "Examples:", "service");
  }

  @Test
  void help_everyCommandHasExamples() {
    for (String name : RosterCtl.COMMANDS.keySet()) {
      Run r = run(name, "--help");
      assertThat(r.exit()).as(name).isZero();
      assertThat(r.out()).as(name).contains("Usage: rosterctl " + name, "Examples:");
    }
    for (String sub :
        new String[] {
          "member list",
          "member add",
          "member remove",
          "member update",
          "service register",
          "service list",
          "service watch",
          "service deregister"
        }) {
      String[] parts = sub.split(" ");
      Run r = run(parts[0], parts[1], "--help");
      assertThat(r.exit()).as(sub).isZero();
      assertThat(r.out()).as(sub).contains("Usage: rosterctl " + sub, "Examples:");
    }
  }

  @Test
  void version() {
    Run r = run("--version");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).matches("rosterctl version: \\S+\nAPI version: 2\n");
  }

  @Test
  void unknownGlobalFlag_saysWhatAndUsage_exit1() {
    Run r = run("--bogus", "get", "/k");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("Unknown option: '--bogus'").contains("Usage: rosterctl");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void unknownCommandFlag_usageOfThatCommand_exit1() {
    Run r = run("get", "--bogus", "/k");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("Unknown option: '--bogus'", "Usage: rosterctl get");
  }

  @Test
  void badFlagValue_exit1() {
    Run r = run("set", "--ttl", "abc", "/k", "v");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("Invalid value for option '--ttl'", "'abc'");
    Run t = run("--timeout", "soon", "get", "/k");
    assertThat(t.exit()).isEqualTo(1);
    assertThat(t.err()).contains("invalid duration \"soon\"");
  }

  @Test
  void unknownCommand_exit1() {
    Run r = run("frobnicate");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("frobnicate").contains("Usage: rosterctl");
  }

  @Test
  void missingArguments_etcdctlMessages_exit1() {
    for (String cmd : new String[] {"get", "set", "mk", "mkdir", "setdir", "update", "rm"}) {
      Run r = run(cmd);
      assertThat(r.exit()).as(cmd).isEqualTo(1);
      assertThat(r.err()).as(cmd).isEqualTo("Error:  key required\n");
    }
    assertThat(run("watch").err()).isEqualTo("Error:  key required\n");
    assertThat(run("exec-watch", "/k").err())
        .isEqualTo("Error:  key and command to exec required\n");
    assertThat(run("set", "/k")).isEqualTo(new Run(1, "", "Error:  value required\n"));
    assertThat(run("member", "list", "x")).isEqualTo(new Run(1, "", "No arguments accepted\n"));
    assertThat(run("member", "add", "x"))
        .isEqualTo(new Run(1, "", "Provide a name and a single member peerURL\n"));
    assertThat(run("member", "remove")).isEqualTo(new Run(1, "", "Provide a single member ID\n"));
    assertThat(run("member", "update", "x").err()).startsWith("Provide an ID and a list of");
  }

  @Test
  void badEndpoint_exit1() {
    Run r = run("--endpoints", "ftp://h:1", "get", "/k");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("bad endpoint ftp://h:1");
  }

  @Test
  void refusedConnection_syncExits2_requestExits4_goWording() throws IOException {
    int port = closedPort();
    String dial = "dial tcp 127.0.0.1:" + port + ": connect: connection refused";
    String expected =
        "Error:  client: etcd cluster is unavailable or misconfigured; error #0: "
            + dial
            + "\n\nerror #0: "
            + dial
            + "\n\n";
    Run sync = run("--endpoints", "http://127.0.0.1:" + port, "get", "/k");
    assertThat(sync).isEqualTo(new Run(2, "", expected));
    Run noSync = run("--no-sync", "--endpoints", "127.0.0.1:" + port, "get", "/k");
    assertThat(noSync).isEqualTo(new Run(4, "", expected));
    Run health = run("--endpoints", "http://127.0.0.1:" + port, "cluster-health");
    assertThat(health.exit()).isEqualTo(4);
    assertThat(health.out()).isEqualTo("cluster may be unhealthy: failed to list members\n");
  }

  @Test
  void atATerminal_errorsGetADimHint_offTerminalNone() throws IOException {
    int port = closedPort();
    StringWriter err = new StringWriter();
    Session tty =
        new Session(
            new PrintWriter(new StringWriter()),
            new PrintWriter(err),
            new ByteArrayInputStream(new byte[0]),
            Map.of(),
            true);
    int code = RosterCtl.run(tty, "--endpoints", "http://127.0.0.1:" + port, "get", "/k");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("Error:  client: etcd cluster is unavailable")
        .contains("\u001b[2mhint: is a server running at [http://127.0.0.1:" + port + "]?");
    Session noColor =
        new Session(
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()),
            new ByteArrayInputStream(new byte[0]),
            Map.of("NO_COLOR", "1"),
            true);
    assertThat(noColor.style()).isEqualTo(io.roster.cli.output.Style.PLAIN);
    assertThat(run("--endpoints", "http://127.0.0.1:" + port, "get", "/k").err())
        .doesNotContain("hint:");
  }

  @Test
  void namedCommand_skipsGlobalOptionsAndTheirValues() {
    assertThat(RosterCtl.named("get", "/k")).isEqualTo("get");
    assertThat(RosterCtl.named("-o", "json", "--endpoints", "get", "ls", "/")).isEqualTo("ls");
    assertThat(RosterCtl.named("--output=json", "--no-sync", "rm", "/k")).isEqualTo("rm");
    assertThat(RosterCtl.named("--help")).isNull();
    assertThat(RosterCtl.named("completion")).isNull();
    assertThat(RosterCtl.named("nonsense")).isNull();
  }

  @Test
  void execWatch_keepsTheSeparatorAfterTheKey_likeGoFlags() {
    CommandLine cl = RosterCtl.commandLine(session());
    cl.parseArgs("exec-watch", "/k", "--", "sh", "-c", "echo hi");
    ExecWatchCommand c =
        java.util.Objects.requireNonNull(cl.getSubcommands().get("exec-watch")).getCommand();
    assertThat(argsOf(c)).containsExactly("/k", "--", "sh", "-c", "echo hi");

    CommandLine cl2 = RosterCtl.commandLine(session());
    cl2.parseArgs("exec-watch", "--", "sh", "-c", "echo hi", "/k");
    ExecWatchCommand c2 =
        java.util.Objects.requireNonNull(cl2.getSubcommands().get("exec-watch")).getCommand();
    assertThat(argsOf(c2)).containsExactly("sh", "-c", "echo hi", "/k");
  }

  @Test
  void flagsAfterArguments_areFlags_likeEtcdctlsReordering() {
    CommandLine cl = RosterCtl.commandLine(session());
    CommandLine.ParseResult p = cl.parseArgs("set", "/k", "--ttl", "5", "v");
    assertThat(p.subcommand().matchedOptionValue("--ttl", 0L)).isEqualTo(5L);
    assertThat(p.subcommand().matchedPositionals().get(0).getValue().toString())
        .isEqualTo("[/k, v]");
    CommandLine cl2 = RosterCtl.commandLine(session());
    CommandLine.ParseResult p2 = cl2.parseArgs("set", "--", "/k", "-v");
    assertThat(p2.subcommand().matchedPositionals().get(0).getValue().toString())
        .isEqualTo("[/k, -v]");
  }

  @Test
  void serviceCommands_takeFlagsAnywhere() {
    CommandLine cl = RosterCtl.commandLine(session());
    CommandLine.ParseResult p =
        cl.parseArgs("service", "register", "web", "--id", "w1", "--host", "h", "--port", "80");
    CommandLine.ParseResult reg = p.subcommand().subcommand();
    assertThat(reg.matchedOptionValue("--id", "")).isEqualTo("w1");
    assertThat(reg.matchedOptionValue("--port", 0)).isEqualTo(80);
    assertThat(reg.hasMatchedOption("--datacenter")).isFalse();
  }

  @Test
  void repeatedGlobalOption_lastWins_likeGoFlags() throws IOException {
    int port = closedPort();
    Run r =
        run(
            "--endpoints",
            "http://127.0.0.1:1",
            "--endpoints",
            "http://127.0.0.1:" + port,
            "get",
            "/k");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("127.0.0.1:" + port).doesNotContain("127.0.0.1:1:");
  }

  @Test
  void completion_printsBashScriptForEveryCommand() {
    Run r = run("completion");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("complete -F", "rosterctl", "exec-watch", "cluster-health");
    assertThat(r.out()).contains("--swap-with-value", "--datacenter");
  }

  private static List<String> argsOf(ExecWatchCommand c) {
    try {
      java.lang.reflect.Field f = ExecWatchCommand.class.getDeclaredField("args");
      f.setAccessible(true);
      @SuppressWarnings("unchecked")
      List<String> v = (List<String>) f.get(c);
      return v;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static Session session() {
    return new Session(
        new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()),
        new ByteArrayInputStream(new byte[0]),
        Map.of(),
        false);
  }

  /** A loopback port nothing listens on (bound, then closed). */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    }
  }
}
