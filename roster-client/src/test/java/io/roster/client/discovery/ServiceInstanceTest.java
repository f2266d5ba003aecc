package io.roster.client.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceInstanceTest {
  private static final String ROOT = "/services";

  @Test
  void toJson_keepsSeedFields_portAsString() throws Exception {
    ServiceInstance i =
        new ServiceInstance(
            "service_a",
            "dc1",
            "i1",
            "10.0.0.5",
            3000,
            "https",
            2.5,
            "z1",
            Map.of("version", "1.2"),
            InstanceState.DRAINING);
    JsonNode json = new ObjectMapper().readTree(i.toJson());
    assertThat(json.get("hostname").asText()).isEqualTo("10.0.0.5");
    assertThat(json.get("port").isTextual()).isTrue();
    assertThat(json.get("port").asText()).isEqualTo("3000");
    assertThat(ServiceInstance.parse(ROOT, i.key(ROOT), i.toJson())).isEqualTo(i);
    assertThat(i.key(ROOT)).isEqualTo("/services/service_a/dc1/i1");
  }

  @Test
  void parse_seedMinimalEntry_takesDefaults() {
    ServiceInstance i =
        ServiceInstance.parse(
            ROOT,
            "/services/service_a/datacenter_x/uuid-1",
            "{\"hostname\":\"\",\"port\":\"3000\"}");
    assertThat(i).isEqualTo(ServiceInstance.of("service_a", "datacenter_x", "uuid-1", "", 3000));
    assertThat(i.state()).isEqualTo(InstanceState.UP);
    assertThat(
            ServiceInstance.parse(ROOT, "/services/a/b/c", "{\"hostname\":\"h\",\"port\":80}")
                .port())
        .isEqualTo(80);
  }

  @Test
  void parse_rejectsGarbageWrongDepthAndBadPort() {
    assertThatThrownBy(() -> ServiceInstance.parse(ROOT, "/services/a/b/c", "not json"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ServiceInstance.parse(ROOT, "/services/a/b", "{\"port\":\"1\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ServiceInstance.parse(ROOT, "/services/a/b/c", "{\"port\":\"x\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                ServiceInstance.parse(
                    ROOT, "/services/a/b/c", "{\"port\":\"1\",\"state\":\"WEIRD\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ServiceInstance.of("a/b", "dc", "i", "h", 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
