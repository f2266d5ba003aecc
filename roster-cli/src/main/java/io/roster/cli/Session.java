package io.roster.cli;

import io.roster.cli.output.Printer;
import io.roster.cli.output.Style;
import io.roster.client.KeyResponse;
import io.roster.client.RosterClient;
import io.roster.client.RosterTransportException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the commands of one run share: the global options, standard streams, environment, the output
 * printer and one lazily built {@link RosterClient}. Not thread-safe except {@link #out()} and
 * {@link #err()}, which are only written under their own lock by the printers.
 */
public final class Session implements AutoCloseable {
  /** etcdctl's default endpoints. */
  public static final String DEFAULT_ENDPOINTS = "http://127.0.0.1:2379,http://127.0.0.1:4001";

  private static final int MAX_STDIN_VALUE = 64 * 1024 * 1024;

  private final PrintWriter out;
  private final PrintWriter err;
  private final InputStream in;
  private final Map<String, String> env;
  private final boolean interactive;
  private GlobalOptions options = new GlobalOptions();
  private @Nullable RosterClient client;

  /**
   * @param interactive whether a person is at a terminal: enables colour and hints
   */
  public Session(
      PrintWriter out,
      PrintWriter err,
      InputStream in,
      Map<String, String> env,
      boolean interactive) {
    this.out = out;
    this.err = err;
    this.in = in;
    this.env = Map.copyOf(env);
    this.interactive = interactive;
  }

  void options(GlobalOptions options) {
    this.options = options;
  }

  /** The global options given before the command. */
  public GlobalOptions options() {
    return options;
  }

  /** Standard output. */
  public PrintWriter out() {
    return out;
  }

  /** Standard error. */
  public PrintWriter err() {
    return err;
  }

  /** The environment the run started with. */
  public Map<String, String> env() {
    return env;
  }

  /** Colours for people at a terminal, none otherwise. */
  public Style style() {
    return interactive && !env.containsKey("NO_COLOR") ? Style.ANSI : Style.PLAIN;
  }

  /** The printer for {@code -o}. */
  public Printer printer() {
    return Printer.forFormat(options.output);
  }

  /** Prints a keys-API answer in the {@code -o} format (etcdctl's {@code printResponseKey}). */
  public void print(KeyResponse r) {
    printer().print(r, out, err);
    out.flush();
    err.flush();
  }

  /**
   * The endpoints, from (first found) {@code --endpoints}, {@code ROSTERCTL_ENDPOINTS}, {@code
   * ETCDCTL_ENDPOINTS}, {@code --endpoint}, {@code ETCDCTL_ENDPOINT}, {@code --peers}, {@code
   * ETCDCTL_PEERS}, else etcdctl's default; comma-separated, {@code http://} added where no scheme
   * is given.
   *
   * @throws CtlFailure (exit 1) for an endpoint that is not a URL
   */
  public List<URI> endpoints() {
    String s =
        first(options.endpoints, env.get("ROSTERCTL_ENDPOINTS"), env.get("ETCDCTL_ENDPOINTS"));
    s = first(s, options.endpoint, env.get("ETCDCTL_ENDPOINT"));
    s = first(s, options.peers, env.get("ETCDCTL_PEERS"));
    s = first(s, DEFAULT_ENDPOINTS);
    List<URI> out = new ArrayList<>();
    for (String e : s.split(",", -1)) {
      String t = e.strip();
      if (!t.contains("://")) {
        t = "http://" + t;
      }
      try {
        URI u = new URI(t);
        if (u.getHost() == null
            || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
          throw new CtlFailure(
              ExitCode.BAD_ARGS,
              "bad endpoint " + e + ": want http://HOST:PORT\n",
              "e.g. --endpoints http://127.0.0.1:2379");
        }
        out.add(u);
      } catch (java.net.URISyntaxException x) {
        throw new CtlFailure(ExitCode.BAD_ARGS, "parse " + e + ": " + x.getReason() + "\n");
      }
    }
    return out;
  }

  private static String first(@Nullable String... candidates) {
    for (String c : candidates) {
      if (c != null && !c.isEmpty()) {
        return c;
      }
    }
    return "";
  }

  /**
   * The client, built on first use, with {@code --timeout} per request and no background member
   * refresh. Unless {@code --no-sync}, the member list is read once first, as etcdctl does: if no
   * endpoint can be reached that ends the run with exit 2; other sync failures are ignored.
   */
  public RosterClient client() {
    return client(!options.noSync);
  }

  /** The client; {@code sync} as for {@link #client()}. */
  public RosterClient client(boolean sync) {
    RosterClient c = client;
    if (c == null) {
      Duration timeout = options.timeout.isZero() ? Duration.ofDays(1) : options.timeout;
      c =
          RosterClient.builder()
              .endpoints(endpoints())
              .requestTimeout(timeout)
              .connectTimeout(timeout)
              .memberRefreshInterval(Duration.ZERO)
              .build();
      client = c;
      if (sync) {
        sync(c);
      }
    }
    return c;
  }

  private static void sync(RosterClient c) {
    List<URI> before = c.endpoints();
    try {
      c.refreshMembers();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CtlFailure(ExitCode.SERVER_ERROR, "interrupted\n");
    } catch (RosterTransportException e) {
      if (ErrorText.isConnectionFailure(e)) {
        throw ErrorText.handle(e, ExitCode.BAD_CONNECTION, before);
      }
    } catch (RuntimeException e) {
      // etcdctl ignores every other sync failure and sends the request to the given endpoints
    }
  }

  /** etcdctl's {@code handleError} for a failed request of this run's client. */
  public CtlFailure fail(RuntimeException e, int exitCode) {
    RosterClient c = client;
    return ErrorText.handle(e, exitCode, c == null ? endpoints() : c.endpoints());
  }

  /**
   * Argument {@code i}, or else all of standard input (etcdctl's {@code argOrStdin}).
   *
   * @throws CtlFailure "value required" (exit 1) if neither has anything
   */
  public String argOrStdin(List<String> args, int i) {
    if (i < args.size()) {
      return args.get(i);
    }
    try {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      int n;
      while ((n = in.read(chunk)) > 0) {
        buf.write(chunk, 0, n);
        if (buf.size() > MAX_STDIN_VALUE) {
          throw new CtlFailure(ExitCode.BAD_ARGS, "Error:  value on stdin is larger than 64 MiB\n");
        }
      }
      String v = buf.toString(StandardCharsets.UTF_8);
      if (!v.isEmpty()) {
        return v;
      }
    } catch (IOException e) {
      // as etcdctl: an unreadable stdin is no value
    }
    throw CtlFailure.error(ExitCode.BAD_ARGS, "value required");
  }

  /** Closes the client (and its watches). */
  @Override
  public void close() {
    RosterClient c = client;
    if (c != null) {
      c.close();
    }
    out.flush();
    err.flush();
  }
}
