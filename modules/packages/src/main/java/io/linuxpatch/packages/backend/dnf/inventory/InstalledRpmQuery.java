package io.linuxpatch.packages.backend.dnf.inventory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The installed packages from ONE {@code rpm --root R --dbpath /var/lib/rpm -qa --queryformat …} (PKG-2: a
 * listing never forks per package; 8 ms for the sandbox, one process for 3,000 packages).
 *
 * <p>Robust separators: every text field goes through rpm's {@code :shescape} formatter, which single-quotes
 * it and writes a quote inside as {@code '\''}, so a summary or URL holding spaces, tabs, quotes or even
 * newlines cannot shift a field; numbers are bare; a missing tag is rpm's bare {@code (none)} (a summary that
 * really reads "(none)" arrives quoted). Fields are separated by one space and records end with an unquoted
 * newline. rpm 4.18 has no {@code :json} formatter.
 */
public final class InstalledRpmQuery {

  /** Field order of one record; the summary last only for readability, the quoting makes order irrelevant. */
  public static final String QUERY_FORMAT = "%{NAME:shescape} %{EPOCH} %{VERSION:shescape} %{RELEASE:shescape} "
      + "%{ARCH:shescape} %{LONGSIZE} %{INSTALLTIME} %{SOURCERPM:shescape} %{URL:shescape} %{SUMMARY:shescape}\\n";

  private static final int FIELDS = 10;

  /** What one run gave: the packages in rpm's order, and the records that could not be read. */
  public record Result(List<InstalledRpm> packages, List<RecordProblem> problems) {
    public Result {
      packages = List.copyOf(packages);
      problems = List.copyOf(problems);
    }
  }

  private InstalledRpmQuery() {
  }

  /** The rpm arguments after the root options: {@code -qa --queryformat FORMAT}. */
  public static List<String> arguments() {
    return List.of("-qa", "--queryformat", QUERY_FORMAT);
  }

  /** Reads rpm's standard output. */
  public static Result parse(String stdout) {
    List<InstalledRpm> packages = new ArrayList<>();
    List<RecordProblem> problems = new ArrayList<>();
    ShellQuotedRecords.read(stdout, (number, fields, raw) -> {
      if (fields.size() != FIELDS) {
        problems.add(new RecordProblem(number, raw, "expected " + FIELDS + " fields, found " + fields.size()));
        return;
      }
      try {
        packages.add(record(fields));
      } catch (IllegalArgumentException e) {
        problems.add(new RecordProblem(number, raw, e.getMessage()));
      }
    }, (number, raw, message) -> problems.add(new RecordProblem(number, raw, message)));
    return new Result(packages, problems);
  }

  private static InstalledRpm record(List<ShellQuotedRecords.Field> f) {
    Long epoch = number("epoch", f.get(1), true);
    if (epoch != null && epoch > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("epoch out of range: " + epoch);
    }
    return new InstalledRpm(required("name", f.get(0)), epoch == null ? null : epoch.intValue(),
        required("version", f.get(2)), required("release", f.get(3)), f.get(4).value(),
        number("size", f.get(5), false), f.get(9).valueOrEmpty(),
        Instant.ofEpochSecond(number("install time", f.get(6), false)), f.get(7).value(), f.get(8).value());
  }

  private static String required(String what, ShellQuotedRecords.Field field) {
    if (field.value() == null || field.value().isEmpty()) {
      throw new IllegalArgumentException("no " + what);
    }
    return field.value();
  }

  private static Long number(String what, ShellQuotedRecords.Field field, boolean optional) {
    if (field.value() == null) {
      if (optional) {
        return null;
      }
      throw new IllegalArgumentException("no " + what);
    }
    if (field.quoted()) {
      throw new IllegalArgumentException(what + " is quoted text, not a number: " + field.value());
    }
    try {
      return Long.parseLong(field.value());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " is not a number: " + field.value());
    }
  }
}
