package io.roster.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's ServeMux cleaning, redirects and etcd's patterns (§2, §4.1, E19). */
class RouterTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/v2/keys//a//b/|/v2/keys/a/b/",
        "/v2/keys/a/../b|/v2/keys/b",
        "/v2/keys/./b|/v2/keys/b",
        "/v2/keys/a/..|/v2/keys",
        "//version|/version",
        "/..|/",
        "/../../x/|/x/",
        "|/",
        "v2/keys|/v2/keys",
        "/v2/keys/a/.|/v2/keys/a",
      })
  void cleanPath_goServeMuxRules(String in, String out) {
    assertThat(PathCleaner.cleanPath(in == null ? "" : in)).isEqualTo(out);
  }

  @Test
  void cleanPath_cleanPathsUnchanged() {
    for (String p : new String[] {"/", "/v2/keys", "/v2/keys/", "/v2/keys/a/b/", "/a.b/..c/c.."}) {
      assertThat(PathCleaner.cleanPath(p)).isEqualTo(p);
      assertThat(Router.redirectFor(p, "x=1")).isNull();
    }
  }

  @Test
  void redirectFor_escapesPathAndKeepsRawQuery() {
    assertThat(Router.redirectFor("/v2/keys//a", "x=1&y=%zz")).isEqualTo("/v2/keys/a?x=1&y=%zz");
    assertThat(Router.redirectFor("/v2/keys//a", "")).isEqualTo("/v2/keys/a");
    assertThat(Router.redirectFor("/v2/keys/sp ace?#!/../x", "")).isEqualTo("/v2/keys/x");
    assertThat(Router.redirectFor("/v2/keys/a#!'()*//x", ""))
        .isEqualTo("/v2/keys/a%23%21%27%28%29%2A/x");
    assertThat(Router.redirectFor("/v2/keys/sp ace?//x", "")).isEqualTo("/v2/keys/sp%20ace%3F/x");
    assertThat(Router.redirectFor("/v2/keys/\u00ff//x", "")).isEqualTo("/v2/keys/%FF/x");
    assertThat(Router.redirectFor("/v2/keys/a:b;c=d@e$f&g+h,i~j//x", ""))
        .isEqualTo("/v2/keys/a:b;c=d@e$f&g+h,i~j/x");
  }

  @Test
  void route_etcdPatterns() {
    assertThat(Router.route("/v2/keys")).isEqualTo(Router.Endpoint.KEYS);
    assertThat(Router.route("/v2/keys/")).isEqualTo(Router.Endpoint.KEYS);
    assertThat(Router.route("/v2/keys/a/b")).isEqualTo(Router.Endpoint.KEYS);
    assertThat(Router.route("/v2/keysfoo")).isEqualTo(Router.Endpoint.NOT_FOUND);
    assertThat(Router.route("/v2/members/")).isEqualTo(Router.Endpoint.MEMBERS);
    assertThat(Router.route("/v2/members/leader")).isEqualTo(Router.Endpoint.MEMBERS);
    assertThat(Router.route("/v2/machines")).isEqualTo(Router.Endpoint.MACHINES);
    assertThat(Router.route("/v2/machines/")).isEqualTo(Router.Endpoint.NOT_FOUND);
    assertThat(Router.route("/v2/stats/self/")).isEqualTo(Router.Endpoint.NOT_FOUND);
    assertThat(Router.route("/v2/leader")).isEqualTo(Router.Endpoint.NOT_FOUND);
    assertThat(Router.route("/version")).isEqualTo(Router.Endpoint.VERSION);
    assertThat(Router.route("/metrics")).isEqualTo(Router.Endpoint.METRICS);
  }

  @Test
  void requestTarget_goParseRequestUri() {
    assertThat(RequestTarget.parse("/v2/keys/a%2Fb?x=%zz"))
        .isEqualTo(new RequestTarget("/v2/keys/a/b", "x=%zz"));
    assertThat(RequestTarget.parse("http://h:1/version?x"))
        .isEqualTo(new RequestTarget("/version", "x"));
    assertThat(RequestTarget.parse("http://h:1")).isEqualTo(new RequestTarget("", ""));
    assertThat(RequestTarget.parse("*")).isEqualTo(new RequestTarget("*", ""));
    assertThat(RequestTarget.parse("/x%zz")).isNull();
    assertThat(RequestTarget.parse("/x%")).isNull();
    assertThat(RequestTarget.parse("/a\u0001b")).isNull();
    assertThat(RequestTarget.parse("foo")).isNull();
    assertThat(RequestTarget.parse("/a+b")).isEqualTo(new RequestTarget("/a+b", ""));
  }

  @Test
  void goTime_durationAndTimestamps() {
    assertThat(GoTime.duration(0)).isEqualTo("0s");
    assertThat(GoTime.duration(45_016_558_225L)).isEqualTo("45.016558225s");
    assertThat(GoTime.duration(134_472_121_842L)).isEqualTo("2m14.472121842s");
    assertThat(GoTime.duration(3_600_000_000_000L)).isEqualTo("1h0m0s");
    assertThat(GoTime.duration(1_500_000L)).isEqualTo("1.5ms");
    assertThat(GoTime.duration(1_500L)).isEqualTo("1.5µs");
    assertThat(GoTime.duration(999L)).isEqualTo("999ns");
    assertThat(GoTime.duration(2_000_000_000L)).isEqualTo("2s");
    assertThat(GoTime.rfc3339Nano(java.time.Instant.parse("2026-11-24T21:40:40.273569990Z")))
        .isEqualTo("2026-11-24T21:40:40.27356999Z");
    assertThat(GoTime.rfc3339Nano(java.time.Instant.parse("2026-11-24T21:40:40Z")))
        .isEqualTo("2026-11-24T21:40:40Z");
  }
}
