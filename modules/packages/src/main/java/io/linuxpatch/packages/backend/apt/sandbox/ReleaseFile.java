package io.linuxpatch.packages.backend.apt.sandbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text of one suite's unsigned {@code dists/<suite>/Release}: the fields apt matches sources and pins on,
 * and the MD5Sum/SHA256 lists with which apt verifies every index it downloads.
 *
 * @param origin        Origin field ({@code o=} in apt-cache policy)
 * @param label         Label field ({@code l=})
 * @param suite         Suite, Codename and Version fields
 * @param architectures e.g. {@code [all, amd64]}
 * @param components    e.g. {@code [main]}
 * @param date          Date field
 * @param indices       index path relative to {@code dists/<suite>/} → its digest, in listing order
 */
public record ReleaseFile(String origin, String label, RepositorySuite suite, List<String> architectures,
    List<String> components, Instant date, Map<String, FileDigest> indices) {

  /** RFC 2822 in UTC, the form the Debian archive writes ({@code Sat, 01 Jun 2024 09:00:00 UTC}). */
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  public ReleaseFile {
    architectures = List.copyOf(architectures);
    components = List.copyOf(components);
    // Kept in insertion order so the file lists the indices the way the repository wrote them.
    indices = Collections.unmodifiableMap(new LinkedHashMap<>(indices));
  }

  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("Origin: ").append(origin).append('\n');
    out.append("Label: ").append(label).append('\n');
    out.append("Suite: ").append(suite.name()).append('\n');
    out.append("Codename: ").append(suite.codename()).append('\n');
    out.append("Version: ").append(suite.version()).append('\n');
    out.append("Date: ").append(DATE.format(date)).append('\n');
    out.append("Architectures: ").append(String.join(" ", architectures)).append('\n');
    out.append("Components: ").append(String.join(" ", components)).append('\n');
    out.append("Description: ").append(label).append(' ').append(suite.name()).append('\n');
    out.append("MD5Sum:\n");
    indices.forEach((path, d) -> out.append(' ').append(d.md5()).append(' ').append(pad(d.size()))
        .append(' ').append(path).append('\n'));
    out.append("SHA256:\n");
    indices.forEach((path, d) -> out.append(' ').append(d.sha256()).append(' ').append(pad(d.size()))
        .append(' ').append(path).append('\n'));
    return out.toString();
  }

  private static String pad(long size) {
    // Right-aligned like apt-ftparchive's output; apt itself splits on whitespace.
    return String.format(Locale.ROOT, "%16d", size);
  }
}
