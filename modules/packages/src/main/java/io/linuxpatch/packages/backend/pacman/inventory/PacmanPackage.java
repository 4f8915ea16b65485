package io.linuxpatch.packages.backend.pacman.inventory;

import io.linuxpatch.packages.backend.pacman.version.PacmanVersion;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One package of a pacman database — an installed package of the local database, or an available one of a
 * sync repository — as a view of its row in the database's columns (made when asked for, not stored).
 */
public final class PacmanPackage {

  /** Why a package is installed ({@code %REASON%}). */
  public enum Reason {
    /** Named by someone ({@code %REASON%} absent or 0). */
    EXPLICIT,
    /** Pulled in as a dependency ({@code %REASON%} 1): what {@code pacman -Qd} lists. */
    DEPENDENCY
  }

  private final PackageColumns columns;
  private final int row;

  PacmanPackage(PackageColumns columns, int row) {
    this.columns = columns;
    this.row = row;
  }

  public String name() {
    return columns.text(row, DescField.NAME);
  }

  /** The version text, {@code [epoch:]pkgver-pkgrel}. */
  public String version() {
    return columns.text(row, DescField.VERSION);
  }

  public PacmanVersion pacmanVersion() {
    return PacmanVersion.parse(version());
  }

  /** {@code local} for an installed package, else the sync repository's name. */
  public String database() {
    return columns.database();
  }

  /** pkgbase: the source package the package was built from; the name when absent. */
  public String base() {
    String base = columns.text(row, DescField.BASE);
    return base.isEmpty() ? name() : base;
  }

  /** pkgdesc, one line; "" when absent. */
  public String description() {
    return columns.text(row, DescField.DESCRIPTION);
  }

  public Optional<String> url() {
    return nonEmpty(columns.text(row, DescField.URL));
  }

  public String architecture() {
    return columns.text(row, DescField.ARCHITECTURE);
  }

  public Optional<String> packager() {
    return nonEmpty(columns.text(row, DescField.PACKAGER));
  }

  /** Dependency strings as pacman stores them, e.g. {@code glibc}, {@code demo-lib>=2.0}. */
  public List<String> depends() {
    return lines(DescField.DEPENDS);
  }

  public List<String> conflicts() {
    return lines(DescField.CONFLICTS);
  }

  public List<String> provides() {
    return lines(DescField.PROVIDES);
  }

  public List<String> replaces() {
    return lines(DescField.REPLACES);
  }

  /** Installed size in bytes ({@code %SIZE%} locally, {@code %ISIZE%} in a sync database). */
  public OptionalLong installedSizeBytes() {
    return nonNegative(columns.installedSize(row));
  }

  /** Download size in bytes ({@code %CSIZE%}); sync databases only. */
  public OptionalLong downloadSizeBytes() {
    return nonNegative(columns.downloadSize(row));
  }

  public Optional<Instant> buildDate() {
    long seconds = columns.buildDate(row);
    return seconds < 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(seconds));
  }

  /** When it was installed ({@code %INSTALLDATE%}); local database only. */
  public Optional<Instant> installDate() {
    long seconds = columns.installDate(row);
    return seconds < 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(seconds));
  }

  public Reason reason() {
    return columns.reason(row) == 1 ? Reason.DEPENDENCY : Reason.EXPLICIT;
  }

  @Override
  public String toString() {
    return database() + "/" + name() + " " + version();
  }

  private List<String> lines(DescField field) {
    String text = columns.text(row, field);
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }

  private static Optional<String> nonEmpty(String text) {
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  private static OptionalLong nonNegative(long value) {
    return value < 0 ? OptionalLong.empty() : OptionalLong.of(value);
  }
}
