package io.roster.cli.command;

import io.roster.cli.Session;
import io.roster.client.discovery.InstanceCache;
import io.roster.client.discovery.InstanceListener;
import io.roster.client.discovery.ServiceDiscovery;
import io.roster.client.discovery.ServiceInstance;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code service watch NAME}: prints the instances of a service, then one line per change as it
 * happens ({@code +} added, {@code -} removed or expired, {@code ~} changed) until Ctrl-C. Built on
 * the client's watch-driven instance cache, so nothing is missed across reconnects.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = "Follow the instances of a service live, until Ctrl-C.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  rosterctl service watch web",
      "  rosterctl service watch web --datacenter eu-west"
    })
public final class ServiceWatchCommand extends CtlCommand implements LongRunning {
  @Parameters(paramLabel = "NAME", description = "The service.")
  String name = "";

  @Option(names = "--datacenter", paramLabel = "DC", description = "Only this datacenter.")
  @Nullable String datacenter;

  @Mixin ServiceOptions where = new ServiceOptions();

  @Override
  public Integer call() throws InterruptedException {
    Session s = session();
    PrintWriter out = s.out();
    Watching.exitZeroOnInterrupt();
    ServiceDiscovery d = new ServiceDiscovery(s.client(), where.root());
    String dc = datacenter;
    try (InstanceCache cache = dc == null ? d.watch(name) : d.watch(name, dc)) {
      cache.addListener(
          new InstanceListener() {
            @Override
            public void onAdded(ServiceInstance i) {
              line(out, s.style().green("+") + " added    " + describe(i));
            }

            @Override
            public void onRemoved(ServiceInstance i) {
              line(out, s.style().red("-") + " removed  " + describe(i));
            }

            @Override
            public void onChanged(ServiceInstance before, ServiceInstance after) {
              line(out, s.style().yellow("~") + " changed  " + describe(after));
            }
          });
      StringBuilder sb = new StringBuilder();
      sb.append("watching ")
          .append(where.root())
          .append('/')
          .append(name)
          .append(dc == null ? "" : "/" + dc)
          .append(": ")
          .append(cache.instances().size())
          .append(" instance(s)\n");
      for (ServiceInstance i : cache.instances()) {
        sb.append("  ").append(describe(i)).append('\n');
      }
      line(out, sb.toString().stripTrailing());
      new CountDownLatch(1).await();
      return 0;
    }
  }

  static String describe(ServiceInstance i) {
    return i.service()
        + "/"
        + i.datacenter()
        + "/"
        + i.id()
        + " "
        + i.host()
        + ":"
        + i.port()
        + " "
        + i.state()
        + (i.metadata().isEmpty() ? "" : " " + new java.util.TreeMap<>(i.metadata()));
  }

  private static void line(PrintWriter out, String text) {
    synchronized (out) {
      out.print(text + "\n");
      out.flush();
    }
  }
}
