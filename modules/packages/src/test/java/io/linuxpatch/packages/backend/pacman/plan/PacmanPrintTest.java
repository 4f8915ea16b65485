package io.linuxpatch.packages.backend.pacman.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The print-format parser on its own: other stdout lines ignored, a damaged target line is a problem. */
class PacmanPrintTest {

  @Test
  @DisplayName("Only marked lines are targets; a location may hold spaces; a damaged target line is reported")
  void parses() {
    PacmanPrint print = PacmanPrint.parse("""
        loading packages...
        :: removing demo-lib breaks dependency 'demo-lib>=2.0' required by demo-app
        lpa-target extra openssl 3.2.1-1 4567890 https://mirror.example/extra/os/x86_64/openssl-3.2.1-1-x86_64.pkg.tar.zst
        lpa-target local demo-tool 1.0-1 716 /var/cache/my pkgs/demo-tool-1.0-1-any.pkg.tar.zst
        lpa-target core glibc 2.39-1 lots file:///x
        lpa-target core
        """);

    assertThat(print.targets()).containsExactly(
        new PrintedTarget("extra", "openssl", "3.2.1-1", 4567890,
            "https://mirror.example/extra/os/x86_64/openssl-3.2.1-1-x86_64.pkg.tar.zst"),
        new PrintedTarget("local", "demo-tool", "1.0-1", 716, "/var/cache/my pkgs/demo-tool-1.0-1-any.pkg.tar.zst"));
    assertThat(print.problems()).extracting(PacmanPrint.Problem::lineNumber, PacmanPrint.Problem::problem)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(5, "the size is not a number"),
            org.assertj.core.groups.Tuple.tuple(6, "expected repository, name, version, size and location"));
    assertThat(PacmanPrint.arguments()).containsExactly("--print", "--print-format", PacmanPrint.FORMAT);
  }
}
