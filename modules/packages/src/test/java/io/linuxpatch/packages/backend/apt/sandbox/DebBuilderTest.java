package io.linuxpatch.packages.backend.apt.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds real .debs from {@link DebPackage} specs and reads them back with dpkg-deb. */
class DebBuilderTest {

  private static final ProcessRunner RUNNER = ProcessRunner.create();

  @TempDir
  Path dir;

  @BeforeAll
  static void requireDpkgDeb() {
    assumeTrue(Files.isExecutable(DebBuilder.DPKG_DEB), "dpkg-deb not installed");
  }

  @Test
  @DisplayName("A built .deb carries every control field of its spec, as dpkg-deb -f reads it back")
  void controlFieldsRoundTrip() {
    DebPackage pkg = DebPackage.of("demo-tool", "1:1.1-2", "demo tool\nLonger text.\n\nSecond paragraph.")
        .withDepends("demo-lib (>= 2.0)", "demo-base")
        .withConflicts("demo-old")
        .withSection("utils")
        .withPriority("important")
        .withMaintainer("Demo Maintainer <demo@example.invalid>")
        .withHomepage("https://example.invalid/demo")
        .withSource("demo-src")
        .withInstalledSize(42);

    Path deb = new DebBuilder(RUNNER).build(pkg, dir);

    assertThat(deb.getFileName()).hasToString("demo-tool_1.1-2_all.deb");
    assertThat(field(deb, "Package")).isEqualTo("demo-tool");
    assertThat(field(deb, "Version")).isEqualTo("1:1.1-2");
    assertThat(field(deb, "Architecture")).isEqualTo("all");
    assertThat(field(deb, "Depends")).isEqualTo("demo-lib (>= 2.0), demo-base");
    assertThat(field(deb, "Conflicts")).isEqualTo("demo-old");
    assertThat(field(deb, "Section")).isEqualTo("utils");
    assertThat(field(deb, "Priority")).isEqualTo("important");
    assertThat(field(deb, "Maintainer")).isEqualTo("Demo Maintainer <demo@example.invalid>");
    assertThat(field(deb, "Homepage")).isEqualTo("https://example.invalid/demo");
    assertThat(field(deb, "Source")).isEqualTo("demo-src");
    assertThat(field(deb, "Installed-Size")).isEqualTo("42");
    assertThat(field(deb, "Description")).isEqualTo("demo tool\n Longer text.\n .\n Second paragraph.");
  }

  @Test
  @DisplayName("Files land in the data archive with 0644 modes and the postinst in the control archive")
  void filesAndPostinst() throws Exception {
    DebPackage pkg = DebPackage.of("demo-files", "1.0", "files")
        .withFile("usr/share/doc/demo-files/README", "hello\n")
        .withFile("etc/demo-files.conf", "x=1\n")
        .withPostinst("echo configured");

    Path deb = new DebBuilder(RUNNER).build(pkg, dir);

    String contents = dpkgDeb("--contents", deb.toString()).stdout().text();
    assertThat(contents).contains("-rw-r--r-- root/root").contains("./usr/share/doc/demo-files/README")
        .contains("./etc/demo-files.conf").contains("drwxr-xr-x root/root         0 2024-01-01 00:00 ./\n");
    assertThat(field(deb, "Installed-Size")).isEqualTo("1");
    String info = dpkgDeb("--info", deb.toString(), "postinst").stdout().text();
    assertThat(info).startsWith("#!/bin/sh\nset -e\necho configured");
    assertThat(Files.list(dir).toList()).as("the staging directory is gone").containsExactly(deb);
  }

  @Test
  @DisplayName("Building the same spec twice gives byte-identical packages, so caches stay valid")
  void reproducible() throws Exception {
    DebPackage pkg = DebPackage.of("demo-same", "1.0", "same").withFile("usr/share/demo-same", "x\n");
    DebBuilder builder = new DebBuilder(RUNNER);

    byte[] first = Files.readAllBytes(builder.build(pkg, dir.resolve("a")));
    byte[] second = Files.readAllBytes(builder.build(pkg, dir.resolve("b")));

    assertThat(second).isEqualTo(first);
  }

  @Test
  @DisplayName("A spec that would inject control fields or escape the package tree is rejected before dpkg-deb")
  void invalidSpecs() {
    assertThatThrownBy(() -> DebPackage.of("-demo", "1.0", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DebPackage.of("demo", "one", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DebPackage.of("demo", "1.0", "x").withSection("a\nEssential: yes"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DebPackage.of("demo", "1.0", "x").withDepends("a, b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DebPackage.of("demo", "1.0", "x").withFile("../etc/passwd", ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DebPackage.of("demo", "1.0", "x").withFile("/etc/passwd", ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DebPackage.of("demo", "1.0", "x").withFile("DEBIAN/postrm", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String field(Path deb, String name) {
    return dpkgDeb("-f", deb.toString(), name).stdout().text().stripTrailing();
  }

  private static ProcessResult dpkgDeb(String... args) {
    String[] argv = new String[args.length + 1];
    argv[0] = DebBuilder.DPKG_DEB.toString();
    System.arraycopy(args, 0, argv, 1, args.length);
    ProcessResult result = RUNNER.run(ProcessSpec.of(argv));
    assertThat(result.succeeded()).as("dpkg-deb %s: %s", String.join(" ", args), result.stderr().text()).isTrue();
    return result;
  }
}
