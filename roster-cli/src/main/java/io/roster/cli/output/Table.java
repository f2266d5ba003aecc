package io.roster.cli.output;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An aligned text table: columns padded to their widest cell (measured without colour codes), two
 * spaces apart, no trailing blanks. Cells may be styled per row; widths ignore the styling. Not
 * thread-safe; build, then {@link #render()}.
 */
public final class Table {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();
  private final List<List<UnaryOperator<String>>> styles = new ArrayList<>();

  /** A table with these column headers. */
  public Table(String... headers) {
    this.headers = List.of(headers);
  }

  /**
   * Adds a row without styling.
   *
   * @throws IllegalArgumentException if the row has another number of cells than there are headers
   */
  public Table row(String... cells) {
    List<UnaryOperator<String>> plain = new ArrayList<>();
    for (int i = 0; i < cells.length; i++) {
      plain.add(UnaryOperator.identity());
    }
    return row(List.of(cells), plain);
  }

  /**
   * Adds a row whose cell {@code i} is decorated by {@code cellStyles.get(i)} after padding.
   *
   * @throws IllegalArgumentException if a list has another size than there are headers
   */
  public Table row(List<String> cells, List<UnaryOperator<String>> cellStyles) {
    if (cells.size() != headers.size() || cellStyles.size() != headers.size()) {
      throw new IllegalArgumentException(
          "row of " + cells.size() + " cells for " + headers.size() + " columns");
    }
    rows.add(List.copyOf(cells));
    styles.add(List.copyOf(cellStyles));
    return this;
  }

  /** The number of rows (without the header). */
  public int size() {
    return rows.size();
  }

  /** The table as text, the header in {@code headerStyle}; each line ends with a newline. */
  public String render(Style headerStyle) {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (List<String> r : rows) {
        widths[i] = Math.max(widths[i], r.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    List<UnaryOperator<String>> bold = new ArrayList<>();
    for (int i = 0; i < widths.length; i++) {
      bold.add(headerStyle::bold);
    }
    line(sb, headers, bold, widths);
    for (int r = 0; r < rows.size(); r++) {
      line(sb, rows.get(r), styles.get(r), widths);
    }
    return sb.toString();
  }

  /** The table as plain text. */
  public String render() {
    return render(Style.PLAIN);
  }

  private static void line(
      StringBuilder sb, List<String> cells, List<UnaryOperator<String>> st, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      boolean last = i == cells.size() - 1;
      line.append(st.get(i).apply(c));
      if (!last) {
        line.append(" ".repeat(widths[i] - c.length() + 2));
      }
    }
    sb.append(line.toString().stripTrailing()).append('\n');
  }
}
