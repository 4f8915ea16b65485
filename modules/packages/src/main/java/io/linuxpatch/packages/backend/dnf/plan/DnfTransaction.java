package io.linuxpatch.packages.backend.dnf.plan;

import io.linuxpatch.packages.backend.dnf.inventory.Nevra;
import io.linuxpatch.packages.backend.dnf.version.RpmVersion;
import io.linuxpatch.packages.plan.CandidateArchive;
import io.linuxpatch.packages.plan.Plan;
import io.linuxpatch.packages.plan.PlanAction;
import io.linuxpatch.packages.plan.RebootHeuristic;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The transaction dnf resolved, read from the table {@code dnf --assumeno …} prints on stdout (dnf 4 has no
 * machine-readable form: {@code --json} is dnf 5). Run it with {@code LC_ALL=C} and without {@code -q}.
 *
 * <p>What the table says and how it is read:
 * <ul>
 *   <li>rows under {@link TransactionSection} headers, in dnf's order; a removal row carries the installed
 *       version being removed, every other row the version afterwards. Upgrade, downgrade and reinstall rows do
 *       not say the installed version: {@link #toPlan} asks the caller (who has the installed list);</li>
 *   <li>indented {@code replacing  name.arch evr} lines: the row's package obsoletes an installed one, which
 *       disappears with the transaction;</li>
 *   <li>"Skipping packages with conflicts / broken dependencies" blocks (dnf's {@code best=False}): upgrades
 *       dnf leaves out, reported as kept back. Versionlocked packages are not listed at all: dnf excludes them
 *       before resolving, so the caller adds its holds to the kept-back list if it wants them there;</li>
 *   <li>wrapped rows: when stdout is a terminal narrower than the table, dnf breaks a row after an overlong
 *       column and indents the rest; on a pipe (the agent's case) it never wraps. Both are read;</li>
 *   <li>module and group blocks (Enabling module streams, Installing Groups…) carry no package versions: their
 *       rows are kept as text in {@link #otherChanges} so that a caller can refuse a plan it cannot express;</li>
 *   <li>{@code Total download size: 1.9 M} (only when something must be downloaded), else
 *       {@code Total size:} (everything local or cached: nothing to download).</li>
 * </ul>
 *
 * @param rows              package rows of every section, skipped ones included, in dnf's order
 * @param otherChanges      rows of module/group blocks, as {@code "Header: text"}
 * @param downloadSizeBytes what dnf will download (dnf's rounded figure), 0 when all is local, {@code null}
 *                          when dnf printed no size (a removal)
 * @param problems          table lines that could not be read; a plan with problems must not be executed
 */
public record DnfTransaction(List<TransactionRow> rows, List<String> otherChanges, Long downloadSizeBytes,
    List<String> problems) {

  private static final String REPLACING = "replacing";

  public DnfTransaction {
    rows = List.copyOf(rows);
    otherChanges = List.copyOf(otherChanges);
    problems = List.copyOf(problems);
  }

  /** The version of an installed package, for the from-versions of upgrades and downgrades. */
  @FunctionalInterface
  public interface InstalledVersions {
    /** The installed EVR of {@code name.arch}, {@code null} when it is not installed. */
    String of(String name, String arch);
  }

  /**
   * Whether {@code dnf --assumeno} ended as a complete simulation: exit status 1 with "Operation aborted."
   * and no {@code Error:} (the table is the whole plan), or exit status 0 with "Nothing to do." (an empty
   * plan). Anything else is a failure for {@code DnfFailure} to classify.
   */
  public static boolean isCompleteSimulation(int exitCode, String stdout, String stderr) {
    List<String> errLines = lines(stderr);
    boolean error = errLines.stream().anyMatch(l -> l.startsWith("Error:"))
        || lines(stdout).stream().anyMatch(l -> l.startsWith("Error:"));
    if (error) {
      return false;
    }
    return exitCode == 1 && errLines.contains("Operation aborted.")
        || exitCode == 0 && lines(stdout).contains("Nothing to do.");
  }

  /** Reads dnf's stdout. */
  public static DnfTransaction parse(String stdout) {
    return new TableReader().read(lines(stdout));
  }

  /** The rows of the given sections, in dnf's order. */
  public List<TransactionRow> rows(TransactionSection... sections) {
    List<TransactionSection> wanted = Arrays.asList(sections);
    return rows.stream().filter(r -> wanted.contains(r.section())).toList();
  }

  /** Names dnf skipped (conflicts, broken dependencies). */
  public List<String> keptBack() {
    return rows.stream().filter(r -> r.section().skipped()).map(TransactionRow::name).distinct().toList();
  }

  /** Whether the transaction changes nothing. */
  public boolean isEmpty() {
    return rows.stream().allMatch(r -> r.section().skipped()) && otherChanges.isEmpty();
  }

  /**
   * The plan this table describes: installs (dependencies and weak dependencies included), upgrades,
   * downgrades and reinstalls with their from-version from {@code installed}, removals with the version the
   * table shows, and each obsoleted package as a removal right after the package replacing it (when it has the
   * same name, as on an architecture change, it is that package's from-version instead).
   */
  public Plan toPlan(InstalledVersions installed) {
    return toPlan(installed, RpmRebootPackages.HEURISTIC);
  }

  /** {@link #toPlan(InstalledVersions)} with another reboot hint. */
  public Plan toPlan(InstalledVersions installed, RebootHeuristic reboot) {
    Objects.requireNonNull(installed, "installed");
    Objects.requireNonNull(reboot, "reboot");
    List<PlanAction> actions = new ArrayList<>();
    for (TransactionRow row : rows) {
      if (row.section().skipped()) {
        continue;
      }
      if (row.section().removal()) {
        actions.add(new PlanAction(PlanAction.Kind.REMOVE, row.name(), row.arch(), row.evr(), null, List.of()));
        continue;
      }
      Optional<Nevra> sameName = row.replacing().stream().filter(n -> n.name().equals(row.name())).findFirst();
      String from = switch (row.section()) {
        case UPGRADE, DOWNGRADE -> Optional.ofNullable(installed.of(row.name(), row.arch()))
            .orElse(sameName.map(n -> n.version().toString()).orElse(null));
        case REINSTALL -> row.evr();
        default -> sameName.map(n -> n.version().toString()).orElse(null);
      };
      PlanAction.Kind kind = switch (row.section()) {
        case UPGRADE -> PlanAction.Kind.UPGRADE;
        case DOWNGRADE -> PlanAction.Kind.DOWNGRADE;
        case REINSTALL -> PlanAction.Kind.REINSTALL;
        default -> from == null ? PlanAction.Kind.INSTALL : order(row.evr(), from);
      };
      actions.add(new PlanAction(kind, row.name(), row.arch(), from, row.evr(),
          List.of(new CandidateArchive(null, null, row.repository()))));
      for (Nevra replaced : row.replacing()) {
        if (!replaced.name().equals(row.name())) {
          actions.add(new PlanAction(PlanAction.Kind.REMOVE, replaced.name(), replaced.arch(),
              replaced.version().toString(), null, List.of()));
        }
      }
    }
    boolean requiresReboot = actions.stream().anyMatch(a -> a.kind() != PlanAction.Kind.REMOVE
        && reboot.wantsReboot(a.name()));
    return new Plan(actions, keptBack(), requiresReboot, downloadSizeBytes);
  }

  private static PlanAction.Kind order(String to, String from) {
    int order = RpmVersion.ORDER.compare(to, from);
    return order > 0 ? PlanAction.Kind.UPGRADE : order < 0 ? PlanAction.Kind.DOWNGRADE : PlanAction.Kind.REINSTALL;
  }

  private static List<String> lines(String text) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    return Arrays.stream(text.split("\n")).map(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l).toList();
  }

  /** dnf's {@code format_number}: a number and a unit of powers of 1024 ({@code 6.1 k}, {@code 1.9 M}, {@code 26}). */
  static Long sizeBytes(String text) {
    String[] parts = text.strip().split("\\s+");
    if (parts.length == 0 || parts[0].isEmpty()) {
      return null;
    }
    try {
      double number = Double.parseDouble(parts[0]);
      String unit = parts.length > 1 ? parts[1] : "";
      int power = "kMGTPEZY".indexOf(unit.isEmpty() ? ' ' : unit.charAt(0)) + 1;
      if (!unit.isEmpty() && power == 0) {
        return null;
      }
      return Math.round(number * Math.pow(1024, power));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The line-by-line state of one table. */
  private static final class TableReader {
    private final List<TransactionRow> rows = new ArrayList<>();
    private final List<String> otherChanges = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private Long downloadSize;
    private boolean sawTotalSize;
    private int ruleLines;
    private boolean inTable;
    private TransactionSection section;
    private String header;
    private List<String> pending;
    private int pendingLine;

    DnfTransaction read(List<String> lines) {
      for (int i = 0; i < lines.size(); i++) {
        line(i + 1, lines.get(i));
      }
      flush();
      Long download = downloadSize != null ? downloadSize : sawTotalSize ? Long.valueOf(0) : null;
      return new DnfTransaction(rows, otherChanges, download, problems);
    }

    private void line(int number, String line) {
      if (!line.isEmpty() && line.chars().allMatch(c -> c == '=')) {
        // ==== above and below the column header, then under "Transaction Summary"
        ruleLines++;
        inTable = ruleLines == 2;
        return;
      }
      if (line.startsWith("Total download size:")) {
        downloadSize = sizeBytes(line.substring("Total download size:".length()));
        return;
      }
      if (line.startsWith("Total size:")) {
        sawTotalSize = true;
        return;
      }
      if (!inTable) {
        return;
      }
      if (line.equals("Transaction Summary")) {
        flush();
        inTable = false;
        return;
      }
      if (line.isBlank()) {
        flush();
        return;
      }
      String stripped = line.strip();
      if (line.startsWith(" ") && stripped.startsWith(REPLACING + " ")) {
        flush();
        replacing(number, stripped);
        return;
      }
      if (!line.startsWith(" ")) {
        flush();
        if (line.startsWith("(")) {
          return; // "(add '--best --allowerasing' to command line to force their upgrade):" under a skip header
        }
        header = line.endsWith(":") ? line.substring(0, line.length() - 1) : line;
        section = TransactionSection.ofHeader(line).orElse(null);
        return;
      }
      List<String> tokens = Arrays.asList(stripped.split("\\s+"));
      if (!line.startsWith("  ")) {
        flush();
        pending = new ArrayList<>(tokens);
        pendingLine = number;
      } else if (pending != null) {
        pending.addAll(tokens); // the rest of a row dnf wrapped after an overlong column
      } else {
        problems.add("line " + number + ": an indented line without a row to continue: " + line);
      }
    }

    private void flush() {
      if (pending == null) {
        return;
      }
      List<String> tokens = pending;
      pending = null;
      if (header == null) {
        problems.add("line " + pendingLine + ": a row before any section header: " + String.join(" ", tokens));
      } else if (section == null) {
        otherChanges.add(header + ": " + String.join(" ", tokens));
      } else if (tokens.size() < 4) {
        problems.add("line " + pendingLine + ": a " + section.header().toLowerCase(Locale.ROOT)
            + " row needs name, arch, version and repository: " + String.join(" ", tokens));
      } else {
        rows.add(new TransactionRow(section, tokens.get(0), tokens.get(1), tokens.get(2), tokens.get(3),
            String.join(" ", tokens.subList(4, tokens.size())), List.of()));
      }
    }

    /** {@code replacing  name.arch evr} under the row it belongs to. */
    private void replacing(int number, String text) {
      String[] tokens = text.split("\\s+");
      int dot = tokens.length == 3 ? tokens[1].lastIndexOf('.') : -1;
      Optional<RpmVersion> version = tokens.length == 3 ? RpmVersion.tryParse(tokens[2]) : Optional.empty();
      if (rows.isEmpty() || dot <= 0 || dot == tokens[1].length() - 1 || version.isEmpty()) {
        problems.add("line " + number + ": unreadable replacing line: " + text);
        return;
      }
      Nevra replaced = new Nevra(tokens[1].substring(0, dot), version.get(), tokens[1].substring(dot + 1));
      TransactionRow last = rows.remove(rows.size() - 1);
      List<Nevra> replacing = new ArrayList<>(last.replacing());
      replacing.add(replaced);
      rows.add(new TransactionRow(last.section(), last.name(), last.arch(), last.evr(), last.repository(), last.size(),
          replacing));
    }
  }
}
