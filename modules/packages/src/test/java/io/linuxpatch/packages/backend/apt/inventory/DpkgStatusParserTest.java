package io.linuxpatch.packages.backend.apt.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.backend.apt.version.DebianVersion;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The dpkg status parser reads every field and skips only what it cannot trust")
class DpkgStatusParserTest {

  private final DpkgStatusParser parser = new DpkgStatusParser();

  private static final String FULL = """
      Package: curl
      Status: hold ok installed
      Priority: optional
      Section: web
      Installed-Size: 500
      Maintainer: Alessandro Ghedini <ghedo@debian.org>
      Architecture: amd64
      Multi-Arch: foreign
      Source: curl-src (7.88.1-10)
      Version: 7.88.1-10+deb12u5
      Provides: http-client, curl-virtual (= 1.0)
      Pre-Depends: libc6 (>= 2.34)
      Depends: libcurl4 (= 7.88.1-10+deb12u5), zlib1g (>= 1:1.1.4),
       default-mta | mail-transport-agent, python3:any (>= 3.9~)
      Recommends: ca-certificates [amd64] <!nocheck>
      Conflicts: curl-old (<< 7), wget2
      Conffiles:
       /etc/curlrc 0123456789abcdef
      Description: command line tool for transferring data with URL syntax
       curl is a command line tool for transferring data.
       .
       It supports DICT, FILE, FTP.
      Homepage: https://curl.se/

      """;

  @Test
  @DisplayName("every field of a full stanza lands in the record")
  void readsEveryField() {
    ParsedStatusFile status = parser.parse("status", FULL);

    assertThat(status.problems()).isEmpty();
    assertThat(status.packages()).hasSize(1);
    DpkgPackage curl = status.packages().get(0);
    assertThat(curl.name()).isEqualTo("curl");
    assertThat(curl.architecture()).isEqualTo("amd64");
    assertThat(curl.qualifiedName()).isEqualTo("curl:amd64");
    assertThat(curl.version()).contains(DebianVersion.parse("7.88.1-10+deb12u5"));
    assertThat(curl.state().abbreviation()).isEqualTo("hi");
    assertThat(curl.state().words()).isEqualTo("hold ok installed");
    assertThat(curl.state().isHeld()).isTrue();
    assertThat(curl.state().isInstalled()).isTrue();
    assertThat(curl.installedSizeBytes()).hasValue(500 * 1024);
    assertThat(curl.maintainer()).isEqualTo("Alessandro Ghedini <ghedo@debian.org>");
    assertThat(curl.homepage()).isEqualTo("https://curl.se/");
    assertThat(curl.sourceName()).isEqualTo("curl-src");
    assertThat(curl.sourceVersion()).isEqualTo("7.88.1-10");
    assertThat(curl.section()).isEqualTo("web");
    assertThat(curl.priority()).isEqualTo("optional");
    assertThat(curl.summary()).isEqualTo("command line tool for transferring data with URL syntax");
    assertThat(curl.longDescription())
        .isEqualTo("curl is a command line tool for transferring data.\n\nIt supports DICT, FILE, FTP.");
    assertThat(curl.preDepends()).extracting(RelationGroup::toString).containsExactly("libc6 (>= 2.34)");
    assertThat(curl.depends()).extracting(RelationGroup::toString).containsExactly(
        "libcurl4 (= 7.88.1-10+deb12u5)", "zlib1g (>= 1:1.1.4)", "default-mta | mail-transport-agent",
        "python3:any (>= 3.9~)");
    Relation python = curl.depends().get(3).first();
    assertThat(python.name()).isEqualTo("python3");
    assertThat(python.architecture()).isEqualTo("any");
    assertThat(python.constraint()).isEqualTo(">= 3.9~");
    assertThat(curl.depends().get(2).alternatives()).extracting(Relation::name)
        .containsExactly("default-mta", "mail-transport-agent");
    assertThat(curl.recommends()).extracting(RelationGroup::toString).containsExactly("ca-certificates");
    assertThat(curl.provides()).extracting(Relation::toString).containsExactly("http-client", "curl-virtual (= 1.0)");
    assertThat(curl.conflicts()).extracting(Relation::toString).containsExactly("curl-old (<< 7)", "wget2");
  }

  @Test
  @DisplayName("without a Source field the source package is the package itself at its own version")
  void sourceDefaultsToPackage() {
    DpkgPackage bash = parser.parse("status", """
        Package: bash
        Status: install ok installed
        Architecture: amd64
        Version: 5.2.15-2+b2
        Description: GNU Bourne Again SHell
        """).packages().get(0);

    assertThat(bash.sourceName()).isEqualTo("bash");
    assertThat(bash.sourceVersion()).isEqualTo("5.2.15-2+b2");
    assertThat(bash.installedSizeBytes()).isEmpty();
    assertThat(bash.longDescription()).isEmpty();
    assertThat(bash.fullDescription()).isEqualTo("GNU Bourne Again SHell");
    assertThat(bash.maintainer()).isEmpty();
  }

  @Test
  @DisplayName("removed, half-configured and never-unpacked states are read with their dpkg letters")
  void readsOtherStates() {
    ParsedStatusFile status = parser.parse("status", """
        Package: old-tool
        Status: deinstall ok config-files
        Architecture: amd64
        Version: 1.0-1

        Package: broken
        Status: install reinstreq half-configured
        Architecture: all
        Version: 2.0

        Package: wanted
        Status: install ok not-installed
        """);

    assertThat(status.problems()).isEmpty();
    assertThat(status.packages()).extracting(p -> p.state().abbreviation()).containsExactly("rc", "iFR", "in");
    assertThat(status.packages().get(0).state().isConfigFilesOnly()).isTrue();
    assertThat(status.packages().get(1).state().isPresent()).isTrue();
    assertThat(status.packages().get(1).state().isInstalled()).isFalse();
    assertThat(status.packages().get(2).version()).isEmpty();
    assertThat(status.packages().get(2).architecture()).isEmpty();
  }

  @Test
  @DisplayName("malformed stanzas are skipped with their line numbers while their neighbours are kept")
  void skipsMalformedStanzas() {
    String text = """
        Package: good-one
        Status: install ok installed
        Version: 1.0

        Status: install ok installed
        Version: 1.0

        Package: bad-status
        Status: install fine installed
        Version: 1.0

        Package: no-status
        Version: 1.0

        Package: bad-version
        Status: install ok installed
        Version: 1:

        Package: stray-line
        Status: install ok installed
        this line has no colon
        Version: 1.0

        Package: duplicate
        Status: install ok installed
        Version: 1.0
        Version: 2.0

        Package: no-version
        Status: install ok unpacked

        Package: good-two
        Status: install ok installed
        Version: 2.0
        """;

    ParsedStatusFile status = parser.parse("status", text);

    assertThat(status.packages()).extracting(DpkgPackage::name).containsExactly("good-one", "good-two");
    assertThat(status.problems()).extracting(ParseProblem::line, ParseProblem::message).containsExactly(
        org.assertj.core.groups.Tuple.tuple(5, "stanza skipped: no package name"),
        org.assertj.core.groups.Tuple.tuple(9, "package bad-status skipped: unreadable Status 'install fine installed'"),
        org.assertj.core.groups.Tuple.tuple(12, "package no-status skipped: no Status field"),
        org.assertj.core.groups.Tuple.tuple(17, "package bad-version skipped: unreadable Version: nothing after colon in version number: '1:'"),
        org.assertj.core.groups.Tuple.tuple(21, "package stray-line skipped: line is not a 'Field: value' pair: 'this line has no colon'"),
        org.assertj.core.groups.Tuple.tuple(27, "package duplicate skipped: duplicate field Version"),
        org.assertj.core.groups.Tuple.tuple(30, "package no-version skipped: no Version although unpacked"));
    assertThat(status.problems()).allSatisfy(problem -> assertThat(problem.file()).isEqualTo("status"));
  }

  @Test
  @DisplayName("a bad optional field costs that field only, and is reported against its line")
  void keepsPackageWithBadOptionalField() {
    ParsedStatusFile status = parser.parse("status", """
        Package: odd
        Status: install ok installed
        Version: 1.0
        Installed-Size: 12kB
        Depends: good (>= 1), bad (>> ), also-good | (= 2), fine
        Source: odd-src (1.0
        """);

    assertThat(status.packages()).hasSize(1);
    DpkgPackage odd = status.packages().get(0);
    assertThat(odd.installedSizeBytes()).isEqualTo(OptionalLong.empty());
    assertThat(odd.depends()).extracting(RelationGroup::toString).containsExactly("good (>= 1)", "fine");
    assertThat(odd.sourceName()).isEqualTo("odd-src");
    assertThat(status.problems()).extracting(ParseProblem::line).containsExactly(4, 5, 5, 6);
    assertThat(status.problems().get(0).message()).isEqualTo("package odd: unreadable Installed-Size '12kB'");
    assertThat(status.problems().get(1).message()).contains("invalid version constraint '(>> )' for bad");
    assertThat(status.problems().get(2).message()).contains("missing package name");
  }

  @Test
  @DisplayName("a continuation line before any field, CRLF line ends, comments and blank-only lines are handled")
  void toleratesLayout() {
    ParsedStatusFile status = parser.parse("status",
        " stray continuation\r\n\r\n# a comment\r\nPackage: crlf\r\nStatus: install ok installed\r\n"
            + "Version: 1.0\r\nDescription: short\r\n long\r\n \t \nPackage: after-blank\n"
            + "Status: install ok installed\nVersion: 3\n");

    assertThat(status.packages()).extracting(DpkgPackage::name).containsExactly("crlf", "after-blank");
    assertThat(status.packages().get(0).longDescription()).isEqualTo("long");
    assertThat(status.packages().get(0).version()).isEqualTo(Optional.of(DebianVersion.parse("1.0")));
    assertThat(status.problems()).singleElement()
        .satisfies(problem -> assertThat(problem.line()).isEqualTo(1))
        .satisfies(problem -> assertThat(problem.message()).contains("continuation line without a field"));
  }

  @Test
  @DisplayName("relation lists keep alternatives, qualifiers and constraints and drop source-only restrictions")
  void parsesRelations() {
    List<String> problems = new java.util.ArrayList<>();
    List<RelationGroup> groups = RelationParser.parse(
        "a, b:native (<< 2.0~) | c (>=1.2), d [amd64 i386] <!nocheck>, e (= 1:2-3),", problems::add);

    assertThat(problems).isEmpty();
    assertThat(groups).extracting(RelationGroup::toString)
        .containsExactly("a", "b:native (<< 2.0~) | c (>= 1.2)", "d", "e (= 1:2-3)");
    assertThat(groups.get(1).alternatives().get(1).constraint()).isEqualTo(">= 1.2");
    assertThat(groups.get(0).first().constraint()).isNull();

    assertThat(RelationParser.parse("a,, b", problems::add)).hasSize(2);
    assertThat(RelationParser.parse("a | , b", problems::add)).hasSize(1);
    assertThat(RelationParser.parse("a (=> 1)", problems::add)).isEmpty();
    assertThat(RelationParser.parse("x extra", problems::add)).isEmpty();
    assertThat(problems).hasSize(4);
  }
}
