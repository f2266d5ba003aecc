package io.roster.client.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roster.client.internal.Wire;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One registered instance of a service, stored at {@code ROOT/SERVICE/DATACENTER/ID}. Immutable.
 *
 * <p>The value is JSON that keeps the seed's fields: {@code {"hostname":"10.0.0.5","port":"3000",
 * "scheme":"http","weight":1.0,"zone":"z1","metadata":{…},"state":"UP"}} — {@code port} a string as
 * the seed's node code writes it, so that code's discoverer reads what Java writes. Parsing accepts
 * the seed's minimal {@code {"hostname":"…","port":"3000"}} (and a numeric port); missing fields
 * take their defaults: scheme {@code http}, weight 1, no zone, no metadata, state UP.
 *
 * @param service the service name (a single key segment)
 * @param datacenter the datacenter (a single key segment)
 * @param id the instance id, unique within service and datacenter (a single key segment)
 * @param host host name or address; may be empty, as in the seed
 * @param port TCP port, 0..65535
 * @param scheme e.g. {@code http}
 * @param weight relative share of traffic, positive
 * @param zone availability zone, {@code null} if none
 * @param metadata free-form string pairs
 * @param state the instance's own view of its readiness
 */
public record ServiceInstance(
    String service,
    String datacenter,
    String id,
    String host,
    int port,
    String scheme,
    double weight,
    @Nullable String zone,
    Map<String, String> metadata,
    InstanceState state) {

  /** Validates segments, port and weight; copies the metadata. */
  public ServiceInstance {
    segment("service", service);
    segment("datacenter", datacenter);
    segment("id", id);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight must be positive: " + weight);
    }
    metadata = Map.copyOf(metadata);
  }

  /** An UP http instance with weight 1, no zone and no metadata. */
  public static ServiceInstance of(
      String service, String datacenter, String id, String host, int port) {
    return new ServiceInstance(
        service, datacenter, id, host, port, "http", 1.0, null, Map.of(), InstanceState.UP);
  }

  /** A copy in {@code state}. */
  public ServiceInstance withState(InstanceState state) {
    return new ServiceInstance(
        service, datacenter, id, host, port, scheme, weight, zone, metadata, state);
  }

  /** The key under {@code root} (e.g. {@code /services}): {@code root/service/datacenter/id}. */
  public String key(String root) {
    return root + "/" + service + "/" + datacenter + "/" + id;
  }

  /** The stored JSON value. */
  public String toJson() {
    ObjectNode o = Wire.json().createObjectNode();
    o.put("hostname", host);
    o.put("port", Integer.toString(port));
    o.put("scheme", scheme);
    o.put("weight", weight);
    if (zone != null) {
      o.put("zone", zone);
    }
    ObjectNode md = o.putObject("metadata");
    metadata.forEach(md::put);
    o.put("state", state.name());
    return o.toString();
  }

  /**
   * Parses the entry at {@code key} (which must be {@code root/SERVICE/DATACENTER/ID}).
   *
   * @throws IllegalArgumentException if the key does not have that shape or the value is not an
   *     instance (not JSON, no usable port, bad state)
   */
  public static ServiceInstance parse(String root, String key, String json) {
    if (!key.startsWith(root + "/")) {
      throw new IllegalArgumentException(key + " is not under " + root);
    }
    String[] parts = key.substring(root.length() + 1).split("/", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException(key + " is not " + root + "/SERVICE/DATACENTER/ID");
    }
    JsonNode o;
    try {
      o = Wire.json().readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON at " + key, e);
    }
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("not a JSON object at " + key);
    }
    JsonNode portNode = o.path("port");
    int port;
    try {
      port = Integer.parseInt(portNode.asText("").trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("no usable port at " + key + ": " + portNode, e);
    }
    Map<String, String> md = new LinkedHashMap<>();
    o.path("metadata").fields().forEachRemaining(f -> md.put(f.getKey(), f.getValue().asText()));
    JsonNode zone = o.get("zone");
    String state = o.path("state").asText("UP").toUpperCase(Locale.ROOT);
    return new ServiceInstance(
        parts[0],
        parts[1],
        parts[2],
        o.path("hostname").asText(""),
        port,
        o.path("scheme").asText("http"),
        o.path("weight").asDouble(1.0),
        zone == null || zone.isNull() ? null : zone.asText(),
        md,
        InstanceState.valueOf(state));
  }

  private static void segment(String what, String s) {
    if (s.isEmpty() || s.contains("/") || s.startsWith("_")) {
      throw new IllegalArgumentException(what + " must be one non-hidden key segment: '" + s + "'");
    }
  }
}
