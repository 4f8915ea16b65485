package io.linuxpatch.packages.backend.apt.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.backend.apt.version.DebianVersion;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A status file of a large server parsed completely. How fast is measured by the JMH InventoryBenchmark
 * ({@code reparseThreeThousandPackageStatus}), not asserted here: a wall-clock bound fails on a busy machine, not on slow code.
 */
@DisplayName("A status file of 3,000 packages is parsed completely")
class LargeStatusFileTest {

  static final int PACKAGES = 3_000;

  /** A status file shaped like a real one: long descriptions, conffiles, dependency lists. */
  static String statusFile(int packages) {
    StringBuilder text = new StringBuilder(packages * 900);
    for (int i = 0; i < packages; i++) {
      text.append("Package: pkg").append(i).append('\n')
          .append("Status: ").append(i % 100 == 0 ? "hold" : "install").append(" ok installed\n")
          .append("Priority: optional\nSection: libs\n")
          .append("Installed-Size: ").append(i + 1).append('\n')
          .append("Maintainer: Maintainer ").append(i).append(" <m").append(i).append("@example.org>\n")
          .append("Architecture: amd64\nMulti-Arch: same\n")
          .append("Source: src").append(i / 3).append('\n')
          .append("Version: ").append(i % 7).append(':').append(i).append(".0-").append(i % 5).append("+deb12u1\n")
          .append("Depends: pkg").append((i + 1) % packages).append(" (>= 1:0), libc6 (>= 2.36) | libc6.1\n")
          .append("Conffiles:\n /etc/pkg").append(i).append(".conf 0123456789abcdef0123456789abcdef\n")
          .append("Description: package number ").append(i).append('\n')
          .append(" A longer text about package ").append(i).append(" that spans\n .\n several lines.\n")
          .append("Homepage: https://example.org/").append(i).append("\n\n");
    }
    return text.toString();
  }

  @Test
  @DisplayName("all 3,000 packages come out with their fields")
  void parsesThreeThousand() {
    String text = statusFile(PACKAGES);
    DpkgStatusParser parser = new DpkgStatusParser();
    ParsedStatusFile status = parser.parse("status", text);

    assertThat(status.problems()).isEmpty();
    assertThat(status.packages()).hasSize(PACKAGES);
    DpkgPackage p1234 = status.packages().get(1234);
    assertThat(p1234.name()).isEqualTo("pkg1234");
    assertThat(p1234.version()).contains(DebianVersion.parse("2:1234.0-4+deb12u1"));
    assertThat(p1234.installedSizeBytes()).hasValue(1235L * 1024);
    assertThat(p1234.sourceName()).isEqualTo("src411");
    assertThat(p1234.depends()).extracting(RelationGroup::toString)
        .containsExactly("pkg1235 (>= 1:0)", "libc6 (>= 2.36) | libc6.1");
    assertThat(p1234.longDescription()).isEqualTo("A longer text about package 1234 that spans\n\nseveral lines.");
    assertThat(status.packages().get(2999).homepage()).isEqualTo("https://example.org/2999");
    assertThat(status.packages().stream().filter(p -> p.state().isHeld())).hasSize(30);
  }
}
