package io.roster.examples;

import io.roster.client.RosterClient;
import io.roster.client.discovery.InstanceCache;
import io.roster.client.discovery.InstanceFilter;
import io.roster.client.discovery.InstanceListener;
import io.roster.client.discovery.ServiceDiscovery;
import io.roster.client.discovery.ServiceInstance;
import java.util.concurrent.CountDownLatch;

/**
 * The seed's "Discovering service instances" in Java: reads the instances of {@code
 * SERVICE/DATACENTER}, prints them, then prints every change as it happens (added, removed,
 * changed) with the list of instances that take traffic (state UP). The seed's {@code
 * instances[key] = value} map and its set/expire handling become an {@link InstanceCache}.
 *
 * <p>Usage: {@code bin/example discover [--endpoints URL,…] [SERVICE [DATACENTER]]}; Ctrl-C stops.
 */
public final class DiscoverService {
  private DiscoverService() {}

  public static void main(String[] argv) throws InterruptedException {
    ExampleArgs args = ExampleArgs.parse(argv);
    RosterClient client = RosterClient.builder().endpoints(args.endpoints()).build();
    InstanceCache cache = new ServiceDiscovery(client).watch(args.service(), args.datacenter());
    System.out.println("instances initial " + describe(cache));
    cache.addListener(
        new InstanceListener() {
          @Override
          public void onAdded(ServiceInstance i) {
            System.out.println("added " + i.id() + " " + address(i) + " -> " + describe(cache));
          }

          @Override
          public void onRemoved(ServiceInstance i) {
            System.out.println("removed " + i.id() + " -> " + describe(cache));
          }

          @Override
          public void onChanged(ServiceInstance before, ServiceInstance after) {
            System.out.println(
                "changed "
                    + after.id()
                    + " "
                    + before.state()
                    + " -> "
                    + after.state()
                    + " -> "
                    + describe(cache));
          }
        });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  cache.close();
                  client.close();
                  stopped.countDown();
                }));
    stopped.await();
  }

  private static String address(ServiceInstance i) {
    return i.scheme() + "://" + (i.host().isEmpty() ? "?" : i.host()) + ":" + i.port();
  }

  private static String describe(InstanceCache cache) {
    return cache.instances().size()
        + " registered, "
        + cache.instances(InstanceFilter.up()).stream()
            .map(i -> i.id().substring(0, Math.min(8, i.id().length())) + "@" + address(i))
            .toList()
        + " up";
  }
}
