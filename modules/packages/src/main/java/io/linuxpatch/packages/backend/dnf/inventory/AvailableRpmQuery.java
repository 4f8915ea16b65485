package io.linuxpatch.packages.backend.dnf.inventory;

import io.linuxpatch.process.OutputChannel;
import io.linuxpatch.process.OutputListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Every version the repositories offer, from ONE
 * {@code dnf -C -q repoquery --available --showduplicates --queryformat …}, read record by record while dnf
 * writes it ({@link #reader}), so a catalogue of 100,000 versions is never held as one string.
 *
 * <p>Separators: dnf's queryformat has no escaping, so fields are separated by the ASCII unit separator
 * (0x1F) and each record ends with the record separator (0x1E) before dnf's newline; both go to dnf as
 * literal characters in argv and cannot appear in rpm metadata text in practice. A summary with a newline
 * spans several lines and is joined back. A record longer than the process runner's 16 KiB line bound
 * arrives in pieces and gets a newline where it was cut.
 *
 * <p>Why {@code -C} (cache only): a listing must read what the last cache refresh ({@code dnf makecache},
 * endpoint 16) fetched, like apt reads its lists — without {@code -C} every listing re-checks each
 * repository's metadata over the network when it has expired (on the sandbox's {@code metadata_expire=0}:
 * every call), may block on a slow mirror, and has libdnf create and remove {@code /tmp/tmpdir.XXXXXX} on
 * the host each time. With {@code -C} the answer depends only on files in the root's cache, whose stamps
 * ({@link DnfStamps#available}) tell when to read again. The cost: before the first refresh there is no
 * cache, and dnf says "Cache-only enabled but no cache for 'REPO'" with exit status 1 — run
 * {@code dnf makecache} first.
 */
public final class AvailableRpmQuery {

  static final char FIELD = '\u001f';
  static final char END = '\u001e';
  /** {@code %{epoch}} is 0 when a package has none; {@code (none)} stands for a missing url or source rpm. */
  public static final String QUERY_FORMAT = String.join(String.valueOf(FIELD), "%{name}", "%{epoch}", "%{version}",
      "%{release}", "%{arch}", "%{repoid}", "%{installsize}", "%{size}", "%{sourcerpm}", "%{url}", "%{summary}") + END;

  private static final int FIELDS = 11;

  private AvailableRpmQuery() {
  }

  /** The dnf arguments after the sandbox/host options. */
  public static List<String> arguments() {
    return List.of("-C", "-q", "repoquery", "--available", "--showduplicates", "--queryformat", QUERY_FORMAT);
  }

  /**
   * A listener for dnf's stdout that hands each complete record to {@code packages} (on the runner's reader
   * thread) and each unreadable one to {@code problems}. Call {@link Reader#finish()} when dnf has ended.
   */
  public static Reader reader(Consumer<AvailableRpm> packages, Consumer<RecordProblem> problems) {
    return new Reader(packages, problems);
  }

  /** Reads a whole stdout at once (tests, small repositories). */
  public static Result parse(String stdout) {
    List<AvailableRpm> packages = new ArrayList<>();
    List<RecordProblem> problems = new ArrayList<>();
    Reader reader = reader(packages::add, problems::add);
    for (String line : stdout.split("\n", -1)) {
      reader.onLine(OutputChannel.STDOUT, line);
    }
    reader.finish();
    return new Result(packages, problems);
  }

  /** What a whole run gave. */
  public record Result(List<AvailableRpm> packages, List<RecordProblem> problems) {
    public Result {
      packages = List.copyOf(packages);
      problems = List.copyOf(problems);
    }
  }

  /** Joins dnf's lines into records; stderr lines are ignored. */
  public static final class Reader implements OutputListener {

    private final Consumer<AvailableRpm> packages;
    private final Consumer<RecordProblem> problems;
    private final StringBuilder pending = new StringBuilder();
    private boolean hasPending;
    private int number;

    private Reader(Consumer<AvailableRpm> packages, Consumer<RecordProblem> problems) {
      this.packages = packages;
      this.problems = problems;
    }

    @Override
    public synchronized void onLine(OutputChannel channel, String line) {
      if (channel != OutputChannel.STDOUT) {
        return;
      }
      if (hasPending) {
        pending.append('\n');
      } else if (line.isEmpty()) {
        return;
      }
      pending.append(line);
      hasPending = true;
      if (!line.isEmpty() && line.charAt(line.length() - 1) == END) {
        String record = pending.substring(0, pending.length() - 1);
        pending.setLength(0);
        hasPending = false;
        accept(record);
      }
    }

    /** Reports a record dnf left unterminated (its output was cut). */
    public synchronized void finish() {
      if (hasPending && !pending.toString().isBlank()) {
        problems.accept(new RecordProblem(++number, pending.toString(), "the record is not terminated (output cut?)"));
      }
      pending.setLength(0);
      hasPending = false;
    }

    private void accept(String record) {
      number++;
      String[] f = record.split(String.valueOf(FIELD), -1);
      if (f.length != FIELDS) {
        problems.accept(new RecordProblem(number, record, "expected " + FIELDS + " fields, found " + f.length));
        return;
      }
      try {
        packages.accept(new AvailableRpm(required("name", f[0]), Integer.parseInt(f[1]), required("version", f[2]),
            required("release", f[3]), required("arch", f[4]), required("repository", f[5]), Long.parseLong(f[6]),
            Long.parseLong(f[7]), noneToNull(f[8]), noneToNull(f[9]), f[10]));
      } catch (IllegalArgumentException e) {
        problems.accept(new RecordProblem(number, record, e.getMessage()));
      }
    }

    private static String required(String what, String value) {
      if (value.isEmpty()) {
        throw new IllegalArgumentException("no " + what);
      }
      return value;
    }

    private static String noneToNull(String value) {
      return value.isEmpty() || value.equals(ShellQuotedRecords.NONE) ? null : value;
    }
  }
}
