package io.roster.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.server.raft.Command;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The method dispatch (§4.2) and the PUT decision table (§4.3). */
class KeyPlanTest {

  private static KeyPlan plan(String method, String query) {
    KeyParse p = KeyRequestParser.parse(method, "/k", query, null, null);
    assertThat(p).isInstanceOf(KeyRequest.class);
    return KeyPlan.of((KeyRequest) p);
  }

  static Stream<Arguments> writes() {
    return Stream.of(
        Arguments.of("PUT", "prevExist=true&value=v", new Command.Update("/k", "v", null, false)),
        Arguments.of(
            "PUT",
            "prevExist=true&prevValue=a&value=v",
            new Command.CompareAndSwap("/k", "a", 0, "v", null, false)),
        Arguments.of(
            "PUT",
            "prevExist=true&prevIndex=7",
            new Command.CompareAndSwap("/k", null, 7, "", null, false)),
        Arguments.of(
            "PUT", "prevExist=true&prevIndex=0", new Command.Update("/k", "", null, false)),
        Arguments.of(
            "PUT",
            "prevExist=false&prevValue=zzz&dir=true",
            new Command.Create("/k", true, "", false, null)),
        Arguments.of(
            "PUT",
            "prevValue=a&value=v&ttl=5",
            new Command.CompareAndSwap("/k", "a", 0, "v", 5L, false)),
        Arguments.of(
            "PUT",
            "prevIndex=3&prevValue=a",
            new Command.CompareAndSwap("/k", "a", 3, "", null, false)),
        Arguments.of("PUT", "value=v&dir=true", new Command.Set("/k", true, "v", null, false)),
        Arguments.of("PUT", "prevIndex=0", new Command.Set("/k", false, "", null, false)),
        Arguments.of("PUT", "refresh=true&ttl=9", new Command.Set("/k", false, "", 9L, true)),
        Arguments.of(
            "PUT", "refresh=true&ttl=9&prevExist=true", new Command.Update("/k", "", 9L, true)),
        Arguments.of(
            "PUT",
            "refresh=true&ttl=9&prevExist=false",
            new Command.Create("/k", false, "", false, 9L)),
        Arguments.of(
            "POST",
            "value=j&prevExist=false&prevValue=x&dir=true",
            new Command.Create("/k", true, "j", true, null)),
        Arguments.of("DELETE", "dir=true&recursive=true", new Command.Delete("/k", true, true)),
        Arguments.of("DELETE", "", new Command.Delete("/k", false, false)),
        Arguments.of(
            "DELETE", "prevIndex=4&recursive=true", new Command.CompareAndDelete("/k", null, 4)),
        Arguments.of("DELETE", "prevValue=a", new Command.CompareAndDelete("/k", "a", 0)));
  }

  @ParameterizedTest(name = "{0} ?{1}")
  @MethodSource("writes")
  void of_writeDecisionTable(String method, String query, Command expected) {
    assertThat(plan(method, query)).isEqualTo(new KeyPlan.Write(expected, false));
  }

  @Test
  void of_noValueOnSuccessTravelsWithTheWrite() {
    assertThat(plan("PUT", "noValueOnSuccess=true"))
        .isEqualTo(new KeyPlan.Write(new Command.Set("/k", false, "", null, false), true));
  }

  @Test
  void of_getDispatch() {
    assertThat(plan("GET", "recursive=true&sorted=true"))
        .isEqualTo(new KeyPlan.Read("/k", true, true, false));
    assertThat(plan("GET", "wait=true&recursive=true&stream=true&waitIndex=5"))
        .isEqualTo(new KeyPlan.Watch("/k", true, true, 5));
    assertThat(plan("GET", "wait=true&quorum=true"))
        .isEqualTo(new KeyPlan.Read("/k", false, false, true));
    assertThat(plan("HEAD", "quorum=true")).isEqualTo(new KeyPlan.Read("/k", false, false, false));
  }
}
