package io.linuxpatch.packages.backend.apt.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.backend.apt.version.DebianVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("apt's lists are read into available versions tied to the suite of their Release file")
class AptListsParserTest {

  static final String IN_RELEASE = """
      -----BEGIN PGP SIGNED MESSAGE-----
      Hash: SHA512

      Origin: Debian
      Label: Debian-Security
      Suite: stable-security
      Codename: bookworm-security
      SHA256:
       0123 456 main/binary-amd64/Packages
      -----BEGIN PGP SIGNATURE-----

      iQIzBAEBCgAdFiEE
      -----END PGP SIGNATURE-----
      """;

  static final String RELEASE = """
      Origin: Debian
      Label: Debian
      Suite: stable
      Codename: bookworm
      """;

  static final String MAIN_PACKAGES = """
      Package: curl
      Version: 7.88.1-10+deb12u5
      Architecture: amd64
      Installed-Size: 500
      Description: command line tool
      Description-md5: 0123

      Package: tzdata
      Version: 2024a-0+deb12u1
      Architecture: all
      Description: time zone and daylight-saving time data

      Package: nano
      Version: 7.2-1
      Architecture: amd64
      Description: petit éditeur

      Package: broken
      Version: 1:
      Architecture: amd64
      """;

  static final String SECURITY_PACKAGES = """
      Package: curl
      Version: 7.88.1-10+deb12u8
      Architecture: amd64
      Installed-Size: 510
      Description: command line tool

      Package: curl
      Version: 7.88.1-10+deb12u7
      Architecture: amd64
      Description: command line tool
      """;

  static void writeLists(Path lists) throws IOException {
    Files.createDirectories(lists.resolve("partial"));
    Files.writeString(lists.resolve("deb.debian.org_debian_dists_bookworm_Release"), RELEASE);
    Files.writeString(lists.resolve("deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages"),
        MAIN_PACKAGES, StandardCharsets.UTF_8);
    Files.writeString(lists.resolve("security.debian.org_debian-security_dists_bookworm-security_InRelease"),
        IN_RELEASE);
    Files.writeString(lists.resolve(
        "security.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages"), SECURITY_PACKAGES);
    Files.writeString(lists.resolve("lock"), "");
  }

  @Test
  @DisplayName("the newest version wins across suites and names the suite of its InRelease or Release")
  void newestAcrossSuites(@TempDir Path lists) throws IOException {
    writeLists(lists);

    AptLists read = new AptListsParser().parse(lists);

    assertThat(read.versions("curl")).hasSize(3);
    AvailablePackage curl = read.newest("curl", "amd64").orElseThrow();
    assertThat(curl.version()).isEqualTo(DebianVersion.parse("7.88.1-10+deb12u8"));
    assertThat(curl.installedSizeBytes()).hasValue(510 * 1024);
    assertThat(curl.release()).isEqualTo(new AptRelease("Debian", "Debian-Security", "stable-security",
        "bookworm-security", "security.debian.org_debian-security_dists_bookworm-security_InRelease"));
    AvailablePackage tzdata = read.newest("tzdata", "amd64").orElseThrow();
    assertThat(tzdata.release().suite()).isEqualTo("stable");
    assertThat(tzdata.release().codename()).isEqualTo("bookworm");
    assertThat(read.newest("nano").orElseThrow().summary()).isEqualTo("petit éditeur");
    assertThat(read.newest("curl", "i386")).isEmpty();
    assertThat(read.newest("absent")).isEmpty();
    assertThat(read.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.file()).isEqualTo("deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages");
      assertThat(problem.line()).isEqualTo(18);
      assertThat(problem.message()).startsWith("package broken skipped: unreadable Version");
    });
  }

  @Test
  @DisplayName("a flat repository finds its Release, a missing one and an xz-compressed index are reported")
  void flatMissingAndCompressed(@TempDir Path lists) throws IOException {
    Files.writeString(lists.resolve("_srv_repo_._Release"), "Origin: Local\nLabel: Local\nSuite: local\n");
    Files.writeString(lists.resolve("_srv_repo_._Packages"), "Package: tool\nVersion: 1.0\nArchitecture: all\n");
    Files.writeString(lists.resolve("example.org_orphan_Packages"), "Package: orphan\nVersion: 2.0\n");
    Files.write(lists.resolve("deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.xz"), new byte[] {4});

    AptLists read = new AptListsParser().parse(lists);

    assertThat(read.newest("tool").orElseThrow().release().suite()).isEqualTo("local");
    assertThat(read.newest("orphan").orElseThrow().release()).isEqualTo(AptRelease.UNKNOWN);
    assertThat(read.problems()).extracting(ParseProblem::message).containsExactlyInAnyOrder(
        "xz-compressed index not read: this agent decodes plain, .gz and .lz4 lists; "
            + "set Acquire::GzipIndexes \"false\" (or let apt store lz4) and run apt-get update",
        "no Release or InRelease file found for this index");
  }

  @Test
  @DisplayName("a missing lists directory means nothing is available, not an error")
  void missingDirectory(@TempDir Path root) throws IOException {
    assertThat(new AptListsParser().parse(root.resolve("nope"))).isSameAs(AptLists.EMPTY);
  }

  @Test
  @DisplayName("a clear-signed body is extracted with dash-escaping undone, a plain text is kept")
  void clearSignedBody() {
    assertThat(ClearSignedText.body(IN_RELEASE)).startsWith("Origin: Debian\n").doesNotContain("PGP");
    assertThat(ClearSignedText.body("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n- -dashed\nx\n"
        + "-----BEGIN PGP SIGNATURE-----\n")).isEqualTo("-dashed\nx\n");
    assertThat(ClearSignedText.body(RELEASE)).isSameAs(RELEASE);
  }
}
