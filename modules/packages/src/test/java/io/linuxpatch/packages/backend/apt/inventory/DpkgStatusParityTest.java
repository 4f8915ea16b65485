package io.linuxpatch.packages.backend.apt.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Parsing this host's dpkg status file gives what dpkg-query reports for it")
class DpkgStatusParityTest {

  private static final Path HOST_STATUS = Path.of("/var/lib/dpkg/status");
  private static final Path DPKG_QUERY = Path.of("/usr/bin/dpkg-query");

  @Test
  @DisplayName("name, version and status abbreviation of every package match dpkg-query on a copy")
  void matchesDpkgQuery(@TempDir Path adminDir) throws Exception {
    assumeTrue(Files.isReadable(HOST_STATUS) && Files.isExecutable(DPKG_QUERY), "no dpkg database on this host");
    // Only ever read the host's file: the copy is what both sides look at.
    Files.copy(HOST_STATUS, adminDir.resolve("status"));
    Files.createDirectories(adminDir.resolve("info"));
    Files.createDirectories(adminDir.resolve("updates"));

    Process query = new ProcessBuilder(DPKG_QUERY.toString(), "--admindir=" + adminDir, "-W",
        "-f=${Package}\\t${Version}\\t${db:Status-Abbrev}\\n")
        .redirectError(adminDir.resolve("dpkg-query.err").toFile())
        .start();
    String expected = new String(query.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(query.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(query.exitValue()).isZero();

    ParsedStatusFile parsed = new DpkgStatusParser().parse("status", Files.readString(adminDir.resolve("status")));

    assertThat(parsed.problems()).isEmpty();
    // dpkg-query lists by name (then architecture) and pads the abbreviation to three letters.
    List<String> ours = parsed.packages().stream()
        .sorted(java.util.Comparator.comparing(DpkgPackage::name).thenComparing(DpkgPackage::architecture))
        .map(p -> p.name() + "\t" + p.versionText() + "\t" + p.state().abbreviation())
        .toList();
    List<String> theirs = expected.lines().map(String::stripTrailing).toList();
    assertThat(ours).hasSizeGreaterThan(10).containsExactlyElementsOf(theirs);
  }
}
