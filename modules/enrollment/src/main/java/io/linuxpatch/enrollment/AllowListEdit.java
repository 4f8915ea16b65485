package io.linuxpatch.enrollment;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adds one entry to the text of an allow-list file (SEC-4 format) the way a person would: the rest of the file —
 * comments, blank lines, quoting, order — stays as it was. Handles a block list ({@code entries:} followed by
 * {@code - item} lines, the entry goes after the last item with the same indentation) and a flow list
 * ({@code entries: [a, b]} or {@code []} on one line). Anything else (no {@code entries} key, a list spread over
 * several flow lines) is left to the operator: the caller validates the result with the agent's own parser
 * either way.
 */
public final class AllowListEdit {

  private static final Pattern ENTRIES = Pattern.compile("^entries:[ \\t]*(#.*)?$");
  private static final Pattern FLOW = Pattern.compile("^entries:[ \\t]*\\[(.*)\\][ \\t]*(#.*)?$");
  private static final Pattern ITEM = Pattern.compile("^([ \\t]*)-[ \\t].*$|^([ \\t]*)-$");

  private AllowListEdit() {}

  /**
   * The text with {@code entry} (an address literal) added, marked with {@code comment}; empty when the file's
   * layout is not one this edit knows.
   */
  public static Optional<String> withEntry(String text, String entry, String comment) {
    String quoted = "\"" + entry + "\"";
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher flow = FLOW.matcher(line);
      if (flow.matches()) {
        String items = flow.group(1).strip();
        String replaced = "entries: [" + (items.isEmpty() ? quoted : items + ", " + quoted) + "]"
            + (flow.group(2) == null ? "" : "  " + flow.group(2));
        return Optional.of(join(lines, i, i + 1, List.of("# " + comment, replaced)));
      }
      if (ENTRIES.matcher(line).matches()) {
        return block(lines, i, quoted, comment);
      }
    }
    return Optional.empty();
  }

  /** A new file holding only {@code entry}. */
  public static String newFile(String entry, String comment) {
    return "# Who may connect (SEC-4). Created by enrollment: the fleet manager must reach the API.\n"
        + "entries:\n  # " + comment + "\n  - \"" + entry + "\"\n";
  }

  private static Optional<String> block(List<String> lines, int key, String quoted, String comment) {
    int lastItem = -1;
    String indent = "  ";
    for (int j = key + 1; j < lines.size(); j++) {
      String line = lines.get(j);
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      Matcher item = ITEM.matcher(line);
      if (item.matches()) {
        lastItem = j;
        indent = item.group(1) != null ? item.group(1) : item.group(2);
        continue;
      }
      if (Character.isWhitespace(line.charAt(0))) {
        // continuation of a multi-line item: part of the list, nothing to append after yet
        lastItem = j;
        continue;
      }
      break; // the next top-level key
    }
    if (lastItem < 0) {
      // "entries:" without items is an invalid file (the parser says so); not ours to guess a list into
      return Optional.empty();
    }
    List<String> added = List.of(indent + "# " + comment, indent + "- " + quoted);
    return Optional.of(join(lines, lastItem + 1, lastItem + 1, added));
  }

  private static String join(List<String> lines, int from, int to, List<String> insert) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < from; i++) {
      out.append(lines.get(i)).append('\n');
    }
    insert.forEach(l -> out.append(l).append('\n'));
    for (int i = to; i < lines.size(); i++) {
      out.append(lines.get(i)).append('\n');
    }
    return out.toString();
  }
}
