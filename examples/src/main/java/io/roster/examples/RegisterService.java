package io.roster.examples;

import io.roster.client.RosterClient;
import io.roster.client.discovery.DrainResult;
import io.roster.client.discovery.Registration;
import io.roster.client.discovery.RegistrationListener;
import io.roster.client.discovery.ServiceInstance;
import io.roster.client.discovery.ServiceRegistry;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * The seed's "Registering a service instance" in Java: registers {@code
 * /services/SERVICE/DATACENTER/<uuid>} as {@code {"hostname":…,"port":"3000",…}} with a 10 s TTL,
 * refreshed every ~3 s, and on Ctrl-C drains (announces DRAINING, waits until the members have
 * applied it) and deregisters. Unlike the seed's loop of plain {@code set}s, refreshes do not wake
 * watchers, and a key lost to an outage is written again.
 *
 * <p>Usage: {@code bin/example register [--endpoints URL,…] [SERVICE [DATACENTER]]}.
 */
public final class RegisterService {
  private RegisterService() {}

  public static void main(String[] argv) throws InterruptedException {
    ExampleArgs args = ExampleArgs.parse(argv);
    String host = System.getenv().getOrDefault("HOSTNAME", "");
    ServiceInstance instance =
        ServiceInstance.of(
            args.service(), args.datacenter(), UUID.randomUUID().toString(), host, 3000);
    CountDownLatch stopped = new CountDownLatch(1);
    RosterClient client = RosterClient.builder().endpoints(args.endpoints()).build();
    ServiceRegistry registry = new ServiceRegistry(client);
    Registration registration =
        registry.register(
            instance,
            Duration.ofSeconds(10),
            new RegistrationListener() {
              @Override
              public void onRecreated(ServiceInstance i) {
                System.out.println("Registration had expired; registered again as " + i.id());
              }

              @Override
              public void onRefreshFailed(ServiceInstance i, RuntimeException error) {
                System.out.println("Refresh failed, retrying: " + error.getMessage());
              }
            });
    System.out.println("Registered with roster as " + registration.key());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  DrainResult d = registration.drain(Duration.ofSeconds(1), Duration.ofSeconds(5));
                  System.out.println(
                      "Drained at index " + d.index() + " (seen by " + d.applied() + ")");
                  registration.close();
                  registry.close();
                  client.close();
                  System.out.println("Deregistered " + registration.key());
                  stopped.countDown();
                }));
    stopped.await();
  }
}
