package io.linuxpatch.packages.backend.apt.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("The test-only version order agrees with dpkg --compare-versions")
class TestDebianVersionsTest {

  @ParameterizedTest(name = "{0} vs {1}")
  @CsvSource({
      "1.0-1, 1.1-1", "1.1-1, 1.0-1", "2.0-1, 2.0-1", "1.0~rc1-1, 1.0-1", "1:0.9, 2.0", "1.2-3, 1.2-3+deb12u1",
      "1.2-3+deb12u1, 1.2-3+deb12u2", "6.1.0-18, 6.1.0-9", "1.0a, 1.0+", "2.36-9+deb12u4, 2.36-9+deb12u10",
      "1.0, 1.0-0", "0ubuntu1, 0ubuntu1.1"})
  @DisplayName("Each pair compares as dpkg says")
  void agreesWithDpkg(String a, String b) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg")), "dpkg is not installed");
    String expected = dpkgLess(a, b) ? "<" : dpkgLess(b, a) ? ">" : "=";
    int actual = TestDebianVersions.ORDER.compare(a, b);
    assertThat(actual < 0 ? "<" : actual > 0 ? ">" : "=").isEqualTo(expected);
  }

  private static boolean dpkgLess(String a, String b) throws Exception {
    Process p = new ProcessBuilder("/usr/bin/dpkg", "--compare-versions", a, "lt", b).start();
    return p.waitFor() == 0;
  }
}
