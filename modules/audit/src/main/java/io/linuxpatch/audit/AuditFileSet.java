package io.linuxpatch.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of one audit log (AUD-3): the current file ({@code audit.jsonl}) and its rotated siblings
 * {@code audit-YYYY-MM-DD.jsonl.gz} (a {@code -N} part is added when a date is rotated twice, e.g. after a
 * clock step back), named after the current file's stem and extension.
 *
 * @param current the configured audit path ({@code logging.audit_path}); it may not exist yet
 */
public record AuditFileSet(Path current) {

  /** One rotated file with the date it covers and its part number (0 for the first of that date). */
  public record Rotated(Path path, LocalDate date, int part, boolean compressed) {}

  /** The file set of {@code path}; a directory stands for {@code audit.jsonl} inside it. */
  public static AuditFileSet of(Path path) {
    return new AuditFileSet(Files.isDirectory(path) ? path.resolve("audit.jsonl") : path);
  }

  private String stem() {
    String name = current.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private String extension() {
    String name = current.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(dot) : "";
  }

  private Pattern rotatedName() {
    return Pattern.compile(Pattern.quote(stem()) + "-(\\d{4}-\\d{2}-\\d{2})(?:-(\\d{1,6}))?"
        + Pattern.quote(extension()) + "(\\.gz)?");
  }

  /** The uncompressed name a file covering {@code date} gets for the moment between rename and gzip. */
  Path rotatedPlain(LocalDate date, int part) {
    return current.resolveSibling(stem() + "-" + date + (part == 0 ? "" : "-" + part) + extension());
  }

  /** The rotated files present now, oldest first (by date, then part). */
  public List<Rotated> rotated() throws IOException {
    Path dir = current.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return List.of();
    }
    Pattern pattern = rotatedName();
    List<Rotated> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        parse(pattern, file).ifPresent(found::add);
      }
    }
    found.sort(Comparator.comparing(Rotated::date).thenComparingInt(Rotated::part)
        .thenComparing(Rotated::compressed));
    return found;
  }

  private static Optional<Rotated> parse(Pattern pattern, Path file) {
    Matcher m = pattern.matcher(file.getFileName().toString());
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Rotated(file, LocalDate.parse(m.group(1)),
          m.group(2) == null ? 0 : Integer.parseInt(m.group(2)), m.group(3) != null));
    } catch (DateTimeParseException notADate) {
      // audit-2024-13-45.jsonl is not one of ours; leave it alone.
      return Optional.empty();
    }
  }

  /** Every file of the log in chain order: rotated files oldest first, then the current file if present. */
  public List<Path> oldestFirst() throws IOException {
    List<Path> files = new ArrayList<>(rotated().stream().map(Rotated::path).toList());
    if (Files.isRegularFile(current)) {
      files.add(current);
    }
    return files;
  }
}
