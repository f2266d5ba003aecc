package io.roster.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void render_padsColumnsToWidestCell_noTrailingBlanks() {
    Table t = new Table("SERVICE", "ID", "TTL").row("web", "web-1", "9s").row("payments", "p", "");
    assertThat(t.render()).isEqualTo("SERVICE   ID     TTL\nweb       web-1  9s\npayments  p\n");
    assertThat(t.size()).isEqualTo(2);
  }

  @Test
  void styles_doNotCountTowardsWidth() {
    UnaryOperator<String> same = UnaryOperator.identity();
    UnaryOperator<String> green = Style.ANSI::green;
    Table t = new Table("A", "STATE", "B").row(List.of("x", "UP", "y"), List.of(same, green, same));
    String[] lines = t.render(Style.ANSI).split("\n");
    assertThat(lines[1]).isEqualTo("x  \u001b[32mUP\u001b[0m     y");
    assertThat(lines[0])
        .isEqualTo("\u001b[1mA\u001b[0m  \u001b[1mSTATE\u001b[0m  \u001b[1mB\u001b[0m");
  }

  @Test
  void plainStyle_addsNoCodes() {
    assertThat(Style.PLAIN.green("UP")).isEqualTo("UP");
    assertThat(Style.PLAIN.bold("H")).isEqualTo("H");
  }

  @Test
  void row_wrongWidth_rejected() {
    assertThatThrownBy(() -> new Table("A", "B").row("only-one"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
