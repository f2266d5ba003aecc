package io.roster.cli;

import io.roster.cli.command.ClusterHealthCommand;
import io.roster.cli.command.CompletionCommand;
import io.roster.cli.command.ExecWatchCommand;
import io.roster.cli.command.GetCommand;
import io.roster.cli.command.LongRunning;
import io.roster.cli.command.LsCommand;
import io.roster.cli.command.MemberCommand;
import io.roster.cli.command.MkCommand;
import io.roster.cli.command.MkdirCommand;
import io.roster.cli.command.RmCommand;
import io.roster.cli.command.RmdirCommand;
import io.roster.cli.command.ServiceCommand;
import io.roster.cli.command.SetCommand;
import io.roster.cli.command.SetdirCommand;
import io.roster.cli.command.UpdateCommand;
import io.roster.cli.command.UpdatedirCommand;
import io.roster.cli.command.WatchCommand;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rosterctl}: the root command. Global options come before the command, as with etcdctl; a
 * command's own flags may follow its arguments (etcdctl reorders them too), {@code --} ends the
 * flags ({@code rosterctl set -- /k -v}), and for {@code exec-watch} everything after the key is
 * the command.
 *
 * <p>{@link #main} runs one command and exits with its code; {@link #run} does the same in-process
 * (for tests) and returns the code.
 */
@Command(
    name = "rosterctl",
    description = {
      "A command line for Roster (and etcd 3.4 with --enable-v2): etcdctl's v2 commands with the"
          + " same flags, output and exit codes, plus service commands.",
    },
    versionProvider = RosterCtl.Version.class,
    synopsisSubcommandLabel = "COMMAND",
    footerHeading = "%nExamples:%n",
    footer = {
      "  rosterctl set /message hello",
      "  rosterctl -o json get /message",
      "  rosterctl ls --recursive --sort /",
      "  rosterctl watch --recursive /services",
      "  rosterctl service register web --id web-1 --host 10.0.0.5 --port 8080",
      "  rosterctl service list",
      "  ROSTERCTL_ENDPOINTS=http://10.0.0.1:2379 rosterctl cluster-health",
      "",
      "Exit codes: 0 ok, 1 bad arguments, 2 no server reachable, 4 server error,"
          + " 5 cluster unhealthy.",
    })
public final class RosterCtl implements Runnable {
  /**
   * The commands in help order. Building picocli's model of a command costs reflection at start-up,
   * so a run registers only the command it names (see {@link #commandLine(Session, String...)}).
   */
  static final Map<String, Class<?>> COMMANDS = commands();

  /** Global options that take a value (so the value is not mistaken for the command name). */
  private static final Set<String> VALUED_OPTIONS =
      Set.of(
          "--endpoints",
          "--endpoint",
          "--peers",
          "-C",
          "-o",
          "--output",
          "--timeout",
          "--total-timeout");

  @Mixin GlobalOptions options = new GlobalOptions();

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help.")
  boolean help;

  @Option(
      names = {"-v", "--version"},
      versionHelp = true,
      description = "Print the version.")
  boolean version;

  private final Session session;

  /** The root command of a run that uses {@code session}. */
  public RosterCtl(Session session) {
    this.session = session;
  }

  /** The session of this run. */
  public Session session() {
    session.options(options);
    return session;
  }

  @picocli.CommandLine.Spec
  @SuppressWarnings("NullAway.Init")
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(session.out());
  }

  /** Runs {@code args} and exits with etcdctl's exit code. */
  public static void main(String[] args) {
    PrintWriter out =
        new PrintWriter(
            new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8));
    PrintWriter err =
        new PrintWriter(
            new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8));
    configureLogging(named(args));
    Session s = new Session(out, err, System.in, System.getenv(), System.console() != null);
    int code;
    try {
      code = run(s, true, args);
    } finally {
      s.close();
    }
    System.exit(code);
  }

  /**
   * Logging for a run of {@code command}: commands that run until stopped (watches, service
   * commands, cluster-health) log the client's warnings through Logback to stderr; one-shot
   * commands, whose failures are all reported as etcdctl reports them, skip logging altogether
   * (SLF4J's no-op provider), which saves Logback's start-up.
   */
  private static void configureLogging(@Nullable String command) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "rosterctl-logback.xml");
    }
    boolean quiet =
        command != null
            && !Set.of("watch", "exec-watch", "service", "cluster-health").contains(command);
    if (quiet && System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.internal.verbosity", "WARN");
      System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
    }
  }

  /**
   * Runs one command line in this process and returns its exit code; never calls {@link
   * System#exit}. Streams are flushed, the session is left open.
   */
  public static int run(Session s, String... args) {
    return run(s, false, args);
  }

  private static int run(Session s, boolean standalone, String... args) {
    CommandLine cl = commandLine(s, args);
    cl.setExecutionStrategy(
        parse -> {
          if (standalone) {
            armTotalTimeout(s, parse);
          }
          return new CommandLine.RunLast().execute(parse);
        });
    int code = cl.execute(args);
    s.out().flush();
    s.err().flush();
    return code;
  }

  private static Map<String, Class<?>> commands() {
    Map<String, Class<?>> m = new LinkedHashMap<>();
    m.put("set", SetCommand.class);
    m.put("mk", MkCommand.class);
    m.put("mkdir", MkdirCommand.class);
    m.put("setdir", SetdirCommand.class);
    m.put("update", UpdateCommand.class);
    m.put("updatedir", UpdatedirCommand.class);
    m.put("get", GetCommand.class);
    m.put("ls", LsCommand.class);
    m.put("rm", RmCommand.class);
    m.put("rmdir", RmdirCommand.class);
    m.put("watch", WatchCommand.class);
    m.put("exec-watch", ExecWatchCommand.class);
    m.put("member", MemberCommand.class);
    m.put("cluster-health", ClusterHealthCommand.class);
    m.put("service", ServiceCommand.class);
    m.put("completion", CompletionCommand.class);
    return Collections.unmodifiableMap(m);
  }

  /**
   * The command {@code args} names: the first argument after the global options, if it is a known
   * command other than {@code completion} (which needs them all); null otherwise.
   */
  static @Nullable String named(String... args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (VALUED_OPTIONS.contains(a)) {
        i++;
      } else if (!a.startsWith("-")) {
        return COMMANDS.containsKey(a) && !a.equals("completion") ? a : null;
      } else if (a.equals("--")) {
        return null;
      }
    }
    return null;
  }

  /** The configured picocli command line with every command. */
  public static CommandLine commandLine(Session s) {
    return commandLine(s, new String[0]);
  }

  /**
   * The configured picocli command line for {@code args}: with only the command they name (help,
   * errors and completion see them all).
   */
  public static CommandLine commandLine(Session s, String... args) {
    RosterCtl root = new RosterCtl(s);
    CommandLine cl = new CommandLine(root);
    String only = named(args);
    for (Map.Entry<String, Class<?>> c : COMMANDS.entrySet()) {
      if (only == null || only.equals(c.getKey())) {
        cl.addSubcommand(c.getKey(), c.getValue());
      }
    }
    cl.setOut(s.out());
    cl.setErr(s.err());
    // exec-watch: everything after the key is the command, "--" and its flags included.
    CommandLine execWatch = cl.getSubcommands().get("exec-watch");
    if (execWatch != null) {
      execWatch.setStopAtPositional(true);
    }
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // Go's flag package lets a repeated flag win, as scripts rely on (--endpoints twice).
    cl.setOverwrittenOptionsAllowed(true);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          PrintWriter err = s.err();
          err.print(ex.getMessage() + "\n\n");
          ex.getCommandLine().usage(err);
          err.flush();
          return ExitCode.BAD_ARGS;
        });
    cl.setExecutionExceptionHandler(
        (ex, c, parse) -> {
          CtlFailure f;
          if (ex instanceof CtlFailure) {
            f = (CtlFailure) ex;
          } else if (ex instanceof RuntimeException) {
            f = s.fail((RuntimeException) ex, ExitCode.SERVER_ERROR);
          } else {
            f = CtlFailure.error(ExitCode.SERVER_ERROR, String.valueOf(ex));
          }
          s.out().flush();
          PrintWriter err = s.err();
          err.print(f.stderr());
          if (!f.hint().isEmpty() && s.style() != io.roster.cli.output.Style.PLAIN) {
            err.print(s.style().dim("hint: " + f.hint()) + "\n");
          }
          err.flush();
          return f.exitCode();
        });
    return cl;
  }

  /**
   * etcdctl's {@code --total-timeout}: a command that is not {@link LongRunning} and still runs
   * after it ends the process with etcdctl's context-deadline error (exit 4).
   */
  private static void armTotalTimeout(Session s, CommandLine.ParseResult parse) {
    List<CommandLine> chain = parse.asCommandLineList();
    Object cmd = chain.get(chain.size() - 1).getCommand();
    Duration limit = ((RosterCtl) chain.get(0).getCommand()).options.totalTimeout();
    if (cmd instanceof LongRunning || limit.isZero() || chain.size() < 2) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              try {
                Thread.sleep(limit.toMillis());
              } catch (InterruptedException e) {
                return;
              }
              s.out().flush();
              s.err().print("Error:  context deadline exceeded\n");
              s.err().flush();
              Runtime.getRuntime().halt(ExitCode.SERVER_ERROR);
            },
            "rosterctl-total-timeout");
    t.setDaemon(true);
    t.start();
  }

  /** {@code rosterctl --version}: the build's version and the API it speaks. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = RosterCtl.class.getPackage().getImplementationVersion();
      return new String[] {"rosterctl version: " + (v == null ? "dev" : v), "API version: 2"};
    }
  }
}
