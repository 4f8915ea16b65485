package io.linuxpatch.packages.backend.apt.inventory;

import io.linuxpatch.packages.backend.apt.version.DebianVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Reads dpkg's status file ({@code <admindir>/status}) into {@link DpkgPackage}s, the way osquery reads
 * its tables: a stanza that cannot be trusted (no Package, an unreadable Status or Version, a stray line)
 * is skipped and reported with its line number; a bad optional field (Installed-Size, one dependency
 * entry) is reported and left out while the package is kept.
 */
public final class DpkgStatusParser {

  private static final int PACKAGE = 0;
  private static final int STATUS = 1;
  private static final int VERSION = 2;
  private static final int ARCHITECTURE = 3;
  private static final int INSTALLED_SIZE = 4;
  private static final int MAINTAINER = 5;
  private static final int HOMEPAGE = 6;
  private static final int SOURCE = 7;
  private static final int SECTION = 8;
  private static final int PRIORITY = 9;
  private static final int DESCRIPTION = 10;
  private static final int PRE_DEPENDS = 11;
  private static final int DEPENDS = 12;
  private static final int RECOMMENDS = 13;
  private static final int PROVIDES = 14;
  private static final int CONFLICTS = 15;

  private static final Deb822Reader READER = new Deb822Reader(List.of(
      "Package", "Status", "Version", "Architecture", "Installed-Size", "Maintainer", "Homepage", "Source",
      "Section", "Priority", "Description", "Pre-Depends", "Depends", "Recommends", "Provides", "Conflicts"));

  /**
   * Parses the content of a status file.
   *
   * @param file the file name problems are reported against
   */
  public ParsedStatusFile parse(String file, String text) {
    return parse(file, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Parses a status file's bytes as UTF-8; a malformed byte (a Latin-1 Maintainer) becomes a replacement
   * character, so one odd stanza never fails the listing.
   *
   * @param file the file name problems are reported against
   */
  public ParsedStatusFile parse(String file, byte[] bytes) {
    List<DpkgPackage> packages = new ArrayList<>(bytes.length / 1000 + 16);
    List<ParseProblem> problems = new ArrayList<>();
    READER.read(file, bytes, StandardCharsets.UTF_8, stanza -> {
      DpkgPackage parsed = stanza(stanza, problems);
      if (parsed != null) {
        packages.add(parsed);
      }
    });
    return new ParsedStatusFile(packages, problems);
  }

  private static DpkgPackage stanza(Deb822Reader.Stanza stanza, List<ParseProblem> problems) {
    String name = stanza.value(PACKAGE);
    String at = name == null ? "stanza" : "package " + name;
    if (!stanza.problems().isEmpty()) {
      for (ParseProblem problem : stanza.problems()) {
        problems.add(new ParseProblem(problem.file(), problem.line(), at + " skipped: " + problem.message()));
      }
      return null;
    }
    if (name == null || name.isEmpty() || name.indexOf(' ') >= 0) {
      problems.add(skipped(stanza, PACKAGE, at, "no package name"));
      return null;
    }
    Optional<DpkgStatusField> state = DpkgStatusField.parse(stanza.value(STATUS));
    if (state.isEmpty()) {
      String status = stanza.value(STATUS);
      problems.add(skipped(stanza, STATUS, at,
          status == null ? "no Status field" : "unreadable Status '" + status + "'"));
      return null;
    }
    Optional<DebianVersion> version = Optional.empty();
    String versionText = stanza.value(VERSION);
    if (versionText != null) {
      try {
        version = Optional.of(DebianVersion.parse(versionText));
      } catch (IllegalArgumentException e) {
        problems.add(skipped(stanza, VERSION, at, "unreadable Version: " + e.getMessage()));
        return null;
      }
    } else if (state.get().current() != DpkgStatusField.Current.NOT_INSTALLED) {
      // dpkg only omits the version for selections of packages that were never unpacked.
      problems.add(skipped(stanza, STATUS, at, "no Version although " + state.get().current().word()));
      return null;
    }
    // Field problems are gathered per stanza and reported in line order, whatever order they are found in.
    List<ParseProblem> stanzaProblems = new ArrayList<>(0);
    FieldProblems fieldProblems = new FieldProblems(stanza, at, stanzaProblems);
    String source = text(stanza, SOURCE);
    String sourceName = name;
    String sourceVersion = version.map(DebianVersion::toString).orElse("");
    if (!source.isEmpty()) {
      int parenthesis = source.indexOf('(');
      sourceName = (parenthesis < 0 ? source : source.substring(0, parenthesis)).strip();
      if (parenthesis >= 0) {
        int close = source.indexOf(')', parenthesis);
        if (close < 0) {
          fieldProblems.at(SOURCE).accept("unclosed version in Source '" + source + "'");
        } else {
          sourceVersion = source.substring(parenthesis + 1, close).strip();
        }
      }
    }
    String description = text(stanza, DESCRIPTION);
    int newline = description.indexOf('\n');
    String summary = (newline < 0 ? description : description.substring(0, newline)).strip();
    DpkgPackage parsed = new DpkgPackage(
        name,
        text(stanza, ARCHITECTURE),
        version,
        state.get(),
        installedSize(stanza, fieldProblems),
        text(stanza, MAINTAINER),
        text(stanza, HOMEPAGE),
        sourceName,
        sourceVersion,
        text(stanza, SECTION),
        text(stanza, PRIORITY),
        summary,
        description,
        RelationParser.parse(stanza.value(PRE_DEPENDS), fieldProblems.at(PRE_DEPENDS)),
        RelationParser.parse(stanza.value(DEPENDS), fieldProblems.at(DEPENDS)),
        RelationParser.parse(stanza.value(RECOMMENDS), fieldProblems.at(RECOMMENDS)),
        flat(RelationParser.parse(stanza.value(PROVIDES), fieldProblems.at(PROVIDES))),
        flat(RelationParser.parse(stanza.value(CONFLICTS), fieldProblems.at(CONFLICTS))));
    if (!stanzaProblems.isEmpty()) {
      stanzaProblems.sort(Comparator.comparingInt(ParseProblem::line));
      problems.addAll(stanzaProblems);
    }
    return parsed;
  }

  /** Installed-Size is in KiB (deb-control(5)); a bad value costs the size, not the package. */
  static OptionalLong installedSize(Deb822Reader.Stanza stanza, FieldProblems problems) {
    String value = stanza.value(INSTALLED_SIZE);
    if (value == null || value.isEmpty()) {
      return OptionalLong.empty();
    }
    long kib = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9' || kib > Long.MAX_VALUE / 1024 / 10) {
        problems.at(INSTALLED_SIZE).accept("unreadable Installed-Size '" + value + "'");
        return OptionalLong.empty();
      }
      kib = kib * 10 + (c - '0');
    }
    return OptionalLong.of(kib * 1024);
  }

  /**
   * Removes the deb822 formatting of a long description: the one leading blank of each line, and the
   * {@code .} that stands for an empty line.
   */
  static String longDescription(String description, int from) {
    StringBuilder text = new StringBuilder(description.length() - from);
    int position = from;
    boolean firstLine = true;
    while (position <= description.length()) {
      int newline = description.indexOf('\n', position);
      int end = newline < 0 ? description.length() : newline;
      int start = position;
      if (start < end && (description.charAt(start) == ' ' || description.charAt(start) == '\t')) {
        start++;
      }
      if (end > start && description.charAt(end - 1) == '\r') {
        end--;
      }
      if (!firstLine) {
        text.append('\n');
      }
      firstLine = false;
      if (!(end - start == 1 && description.charAt(start) == '.')) {
        text.append(description, start, end);
      }
      if (newline < 0) {
        break;
      }
      position = newline + 1;
    }
    return text.toString();
  }

  private static List<Relation> flat(List<RelationGroup> groups) {
    if (groups.isEmpty()) {
      return List.of();
    }
    List<Relation> relations = new ArrayList<>(groups.size());
    for (RelationGroup group : groups) {
      relations.addAll(group.alternatives());
    }
    return relations;
  }

  private static String text(Deb822Reader.Stanza stanza, int field) {
    String value = stanza.value(field);
    return value == null ? "" : value;
  }

  private static ParseProblem skipped(Deb822Reader.Stanza stanza, int field, String at, String why) {
    return new ParseProblem(stanza.file(), stanza.line(field), at + " skipped: " + why);
  }

  /** Reports field-level problems of one stanza against the field's line, naming the package. */
  private record FieldProblems(Deb822Reader.Stanza stanza, String at, List<ParseProblem> problems) {

    Consumer<String> at(int field) {
      int line = stanza.line(field);
      return message -> problems.add(new ParseProblem(stanza.file(), line, at + ": " + message));
    }
  }
}
