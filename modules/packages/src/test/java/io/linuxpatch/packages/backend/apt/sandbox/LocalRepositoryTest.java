package io.linuxpatch.packages.backend.apt.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A multiversion local repository: its Packages indices and Release files, read back as apt would. */
@ExtendWith(HostPackageDatabaseGuard.class)
class LocalRepositoryTest {

  private static final ProcessRunner RUNNER = ProcessRunner.create();
  private static final RepositorySuite STABLE = new RepositorySuite("stable", "test", "1.0");
  private static final RepositorySuite SECURITY = new RepositorySuite("stable-security", "test-security", "1.0");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T09:00:00Z"), ZoneOffset.UTC);

  @TempDir
  static Path dir;
  static LocalRepository repository;

  @BeforeAll
  static void publish() {
    assumeTrue(Files.isExecutable(DebBuilder.DPKG_DEB), "dpkg-deb not installed");
    assumeTrue(Files.isExecutable(LocalRepository.DPKG), "dpkg not installed");
    repository = LocalRepository.create(dir.resolve("repo"), "Test", "Test Label", List.of(STABLE, SECURITY),
        RUNNER, CLOCK);
    repository.add("stable", DebPackage.of("demo-tool", "1.0", "tool").withFile("usr/share/demo-tool/v", "1.0\n"));
    repository.add("stable", DebPackage.of("demo-tool", "1.1", "tool").withFile("usr/share/demo-tool/v", "1.1\n"));
    repository.add("stable", DebPackage.of("demo-base", "1.0", "base"));
    Path ssl = repository.add("stable-security", DebPackage.of("demo-ssl", "1.0+deb1", "ssl"));
    repository.add("stable", ssl);
    repository.writeIndices();
  }

  @Test
  @DisplayName("Packages lists every version added to a suite, with Filename, Size, MD5sum and SHA256 of each .deb")
  void packagesListsEveryVersion() throws Exception {
    List<Map<String, String>> stanzas = stanzas(Files.readString(repository.packagesFile("stable")));

    assertThat(stanzas).extracting(s -> s.get("Package") + "=" + s.get("Version"))
        .containsExactly("demo-base=1.0", "demo-ssl=1.0+deb1", "demo-tool=1.0", "demo-tool=1.1");
    for (Map<String, String> stanza : stanzas) {
      Path deb = repository.directory().resolve(stanza.get("Filename"));
      FileDigest digest = FileDigest.of(deb);
      assertThat(stanza.get("Filename")).startsWith("pool/main/");
      assertThat(stanza).containsEntry("Size", Long.toString(Files.size(deb)))
          .containsEntry("MD5sum", digest.md5())
          .containsEntry("SHA256", digest.sha256())
          .containsEntry("Architecture", "all")
          .containsKey("Installed-Size")
          .containsKey("Description");
      assertThat(sha256Sum(deb)).isEqualTo(digest.sha256());
    }
    assertThat(stanzas(Files.readString(repository.packagesFile("stable-security"))))
        .extracting(s -> s.get("Filename")).containsExactly("pool/main/demo-ssl_1.0+deb1_all.deb");
  }

  @Test
  @DisplayName("Packages.gz decompresses to exactly the Packages file")
  void gzipMatches() throws Exception {
    Path packages = repository.packagesFile("stable");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(packages.resolveSibling("Packages.gz")))) {
      assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(packages));
    }
  }

  @Test
  @DisplayName("Each Release names its suite and the host architecture, and its checksums match the index files")
  void releaseChecksumsMatch() throws Exception {
    for (RepositorySuite suite : List.of(STABLE, SECURITY)) {
      Path release = repository.releaseFile(suite.name());
      String text = Files.readString(release);
      String hostArch = RUNNER.run(ProcessSpec.of("/usr/bin/dpkg", "--print-architecture")).stdout().text().strip();

      assertThat(text).contains("Origin: Test\n", "Label: Test Label\n", "Suite: " + suite.name() + "\n",
          "Codename: " + suite.codename() + "\n", "Version: 1.0\n", "Components: main\n",
          "Architectures: all " + hostArch + "\n", "Date: Sat, 01 Jun 2024 09:00:00 UTC\n");
      Map<String, List<String[]>> sums = checksumSections(text);
      assertThat(sums.get("SHA256")).extracting(e -> e[2])
          .containsExactly("main/binary-all/Packages", "main/binary-all/Packages.gz");
      assertThat(sums.get("MD5Sum")).hasSize(2);
      for (String[] entry : sums.get("SHA256")) {
        Path file = release.resolveSibling(entry[2]);
        assertThat(entry[0]).as(entry[2]).isEqualTo(sha256Sum(file));
        assertThat(Long.parseLong(entry[1])).as(entry[2]).isEqualTo(Files.size(file));
      }
      for (String[] entry : sums.get("MD5Sum")) {
        assertThat(entry[0]).as(entry[2]).isEqualTo(FileDigest.of(release.resolveSibling(entry[2])).md5());
      }
      assertThat(text).doesNotContain(" Release\n");
    }
  }

  @Test
  @DisplayName("A version published in two suites is stored once in the pool")
  void sharedPoolFile() throws Exception {
    try (var files = Files.list(repository.directory().resolve("pool/main"))) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(
          "demo-base_1.0_all.deb", "demo-ssl_1.0+deb1_all.deb", "demo-tool_1.0_all.deb", "demo-tool_1.1_all.deb");
    }
  }

  @Test
  @DisplayName("Adding to a suite the repository does not have is refused with the suites it has")
  void unknownSuite() {
    assertThatThrownBy(() -> repository.add("testing", DebPackage.of("demo-x", "1.0", "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stable-security");
  }

  /** Reads stanzas the way apt's tag-file parser does: blank lines separate, leading space continues. */
  private static List<Map<String, String>> stanzas(String text) {
    List<Map<String, String>> out = new ArrayList<>();
    for (String block : text.split("\n\n")) {
      if (block.isBlank()) {
        continue;
      }
      Map<String, String> fields = new LinkedHashMap<>();
      String last = null;
      for (String line : block.split("\n")) {
        if (line.startsWith(" ") && last != null) {
          fields.merge(last, "\n" + line, String::concat);
        } else {
          int colon = line.indexOf(':');
          last = line.substring(0, colon);
          fields.put(last, line.substring(colon + 1).strip());
        }
      }
      out.add(fields);
    }
    return out;
  }

  private static Map<String, List<String[]>> checksumSections(String release) {
    Map<String, List<String[]>> out = new LinkedHashMap<>();
    List<String[]> current = null;
    for (String line : release.split("\n")) {
      if (line.startsWith(" ") && current != null) {
        current.add(line.strip().split("\\s+"));
      } else if (line.endsWith(":")) {
        current = new ArrayList<>();
        out.put(line.substring(0, line.length() - 1), current);
      } else {
        current = null;
      }
    }
    return out;
  }

  /** The checksum from coreutils' sha256sum, independent of the Java code under test. */
  private static String sha256Sum(Path file) {
    String out = RUNNER.run(ProcessSpec.of("/usr/bin/sha256sum", file.toString())).stdout().text();
    return out.substring(0, out.indexOf(' '));
  }
}
