package io.roster.examples;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The examples' command line: {@code [--endpoints URL[,URL…]] [SERVICE [DATACENTER]]}, defaulting
 * to the seed's {@code http://127.0.0.1:2379}, {@code service_a} and {@code datacenter_x}; {@code
 * ROSTER_ENDPOINTS} may also list the endpoints. Immutable.
 *
 * @param endpoints the registry's client URLs
 * @param service the service name
 * @param datacenter the datacenter
 */
record ExampleArgs(List<URI> endpoints, String service, String datacenter) {

  static ExampleArgs parse(String[] args) {
    String env = System.getenv("ROSTER_ENDPOINTS");
    String endpoints = env == null || env.isBlank() ? "http://127.0.0.1:2379" : env;
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--endpoints") && i + 1 < args.length) {
        endpoints = args[++i];
      } else if (args[i].startsWith("--endpoints=")) {
        endpoints = args[i].substring("--endpoints=".length());
      } else {
        rest.add(args[i]);
      }
    }
    List<URI> uris = new ArrayList<>();
    for (String e : endpoints.split(",")) {
      if (!e.isBlank()) {
        uris.add(URI.create(e.strip()));
      }
    }
    return new ExampleArgs(
        List.copyOf(uris),
        rest.size() > 0 ? rest.get(0) : "service_a",
        rest.size() > 1 ? rest.get(1) : "datacenter_x");
  }
}
