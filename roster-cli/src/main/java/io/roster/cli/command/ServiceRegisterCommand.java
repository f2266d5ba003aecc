package io.roster.cli.command;

import io.roster.cli.CtlFailure;
import io.roster.cli.ExitCode;
import io.roster.cli.Session;
import io.roster.client.discovery.InstanceState;
import io.roster.client.discovery.Registration;
import io.roster.client.discovery.RegistrationListener;
import io.roster.client.discovery.ServiceInstance;
import io.roster.client.discovery.ServiceRegistry;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code service register NAME --id ID --host H --port P}: registers an instance with a TTL and
 * stays in the foreground refreshing it (every TTL/3) until Ctrl-C or SIGTERM, then deregisters
 * (deletes the key) before exiting. If the process dies without that, the key expires after the
 * TTL.
 */
@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    description = {
      "Register a service instance and keep it registered until Ctrl-C (or SIGTERM), which"
          + " deregisters it.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  rosterctl service register web --id web-1 --host 10.0.0.5 --port 8080",
      "  rosterctl service register web --id web-2 --host 10.0.0.6 --port 8080 \\",
      "      --datacenter eu-west --ttl 30 --meta version=2.1 --meta zone=a",
    })
public final class ServiceRegisterCommand extends CtlCommand implements LongRunning {
  @Parameters(paramLabel = "NAME", description = "The service name, e.g. web.")
  String name = "";

  @Option(names = "--id", required = true, paramLabel = "ID", description = "The instance id.")
  String id = "";

  @Option(
      names = "--host",
      required = true,
      paramLabel = "HOST",
      description = "Host name or address clients connect to.")
  String host = "";

  @Option(names = "--port", required = true, paramLabel = "PORT", description = "The port.")
  int port;

  @Option(
      names = "--datacenter",
      paramLabel = "DC",
      defaultValue = ServiceOptions.DEFAULT_DATACENTER,
      description = "The datacenter (default: ${DEFAULT-VALUE}).")
  String datacenter = ServiceOptions.DEFAULT_DATACENTER;

  @Option(
      names = "--ttl",
      paramLabel = "SECONDS",
      defaultValue = "10",
      description =
          "Seconds the entry outlives this process if it dies (default: ${DEFAULT-VALUE}).")
  long ttl = 10;

  @Option(
      names = "--meta",
      paramLabel = "KEY=VALUE",
      description = "Metadata, repeatable: --meta version=2 --meta zone=a.")
  Map<String, String> meta = new LinkedHashMap<>();

  @Mixin ServiceOptions where = new ServiceOptions();

  @Override
  public Integer call() throws InterruptedException {
    if (ttl < 1) {
      throw new CtlFailure(ExitCode.BAD_ARGS, "Error:  --ttl must be at least 1 second\n");
    }
    ServiceInstance instance;
    try {
      instance =
          new ServiceInstance(
              name, datacenter, id, host, port, "http", 1.0, null, meta, InstanceState.UP);
    } catch (IllegalArgumentException e) {
      throw new CtlFailure(ExitCode.BAD_ARGS, "Error:  " + e.getMessage() + "\n");
    }
    Session s = session();
    PrintWriter out = s.out();
    PrintWriter err = s.err();
    ServiceRegistry registry = new ServiceRegistry(s.client(), where.root());
    Registration reg =
        registry.register(
            instance,
            Duration.ofSeconds(ttl),
            new RegistrationListener() {
              @Override
              public void onRecreated(ServiceInstance i) {
                say(err, "registration had expired and was written again: " + i.key(where.root()));
              }

              @Override
              public void onRefreshFailed(ServiceInstance i, RuntimeException e) {
                say(err, "refresh failed (retrying): " + e.getMessage());
              }
            });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  reg.close();
                  registry.close();
                  say(out, "deregistered " + reg.key());
                  stopped.countDown();
                },
                "rosterctl-deregister"));
    say(
        out,
        "registered "
            + reg.key()
            + " at "
            + host
            + ":"
            + port
            + " (TTL "
            + ttl
            + " s, refreshed every "
            + Math.max(1, ttl * 1000 / 3) / 1000.0
            + " s); Ctrl-C deregisters");
    stopped.await();
    return 0;
  }

  private static void say(PrintWriter w, String line) {
    synchronized (w) {
      w.print(line + "\n");
      w.flush();
    }
  }
}
