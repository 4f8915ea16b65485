package io.linuxpatch.packages.backend.apt.inventory;

import io.linuxpatch.packages.backend.apt.version.DebianVersion;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One stanza of dpkg's status file: a package dpkg knows about, installed or not. Absent text fields are
 * empty strings, so that a listing of thousands of packages does not carry thousands of Optionals.
 *
 * @param name               the package name
 * @param architecture       {@code amd64}, {@code all}…; empty when the stanza has none (never installed)
 * @param version            the version dpkg recorded; empty only for packages that were never unpacked
 * @param state              the Status field
 * @param installedSizeBytes Installed-Size converted from KiB to bytes; empty when absent or unreadable
 * @param maintainer         the Maintainer field
 * @param homepage           the Homepage field
 * @param sourceName         the source package: the Source field's name, or the package's own name
 * @param sourceVersion      the source version: the one in parentheses in Source, or the package's version
 * @param section            the Section field
 * @param priority           the Priority field
 * @param summary            the first line of Description
 * @param description        the Description field as written (summary line and indented continuation lines);
 *                           {@link #longDescription} formats the rest only when a client asks for it
 * @param preDepends         Pre-Depends
 * @param depends            Depends
 * @param recommends         Recommends
 * @param provides           Provides (virtual packages, possibly versioned with {@code =})
 * @param conflicts          Conflicts
 */
public record DpkgPackage(
    String name,
    String architecture,
    Optional<DebianVersion> version,
    DpkgStatusField state,
    OptionalLong installedSizeBytes,
    String maintainer,
    String homepage,
    String sourceName,
    String sourceVersion,
    String section,
    String priority,
    String summary,
    String description,
    List<RelationGroup> preDepends,
    List<RelationGroup> depends,
    List<RelationGroup> recommends,
    List<Relation> provides,
    List<Relation> conflicts) {

  public DpkgPackage {
    preDepends = List.copyOf(preDepends);
    depends = List.copyOf(depends);
    recommends = List.copyOf(recommends);
    provides = List.copyOf(provides);
    conflicts = List.copyOf(conflicts);
  }

  /** {@code name:architecture}, the spelling dpkg uses when several architectures are installed. */
  public String qualifiedName() {
    return architecture.isEmpty() ? name : name + ":" + architecture;
  }

  /** The version as text, empty when there is none. */
  public String versionText() {
    return version.map(DebianVersion::toString).orElse("");
  }

  /** The lines after the summary with their deb822 indentation removed ({@code .} lines empty). */
  public String longDescription() {
    int newline = description.indexOf('\n');
    return newline < 0 ? "" : DpkgStatusParser.longDescription(description, newline + 1);
  }

  /** Summary and long description as one text, the way {@code apt show} presents it. */
  public String fullDescription() {
    String longDescription = longDescription();
    return longDescription.isEmpty() ? summary : summary + "\n" + longDescription;
  }
}
