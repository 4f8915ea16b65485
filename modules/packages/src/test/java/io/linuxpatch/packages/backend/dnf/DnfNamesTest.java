package io.linuxpatch.packages.backend.dnf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.backend.dnf.inventory.DnfInventory;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SEC-9 for dnf: nothing dnf would read as a selector, glob, provide, path or package file reaches it. */
@Tag("SEC-9")
class DnfNamesTest {

  private final DnfInventory demo = TestInventories.demo();

  @ParameterizedTest
  @ValueSource(strings = {"demo-tool", "demo-app", "demo-lib", "demo-modern"})
  @DisplayName("a name the rpm database or a repository has exactly is accepted as it is")
  void knownNames(String name) {
    assertThat(DnfNames.known(name, demo)).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo-tool-1.1-1", "demo-tool-1.1", "demo-tool-1.0-1.noarch", "demo-tool.noarch",
      "demo-app-2.0-1", "demo-tool-9.9", "demo-tool.x86_64", "demo-ssl-1.1-1.noarch"})
  @DisplayName("a NEVRA-looking name that is no package but selects one is 400, before any process")
  void selectorsAreRefused(String name) {
    assertThatThrownBy(() -> DnfNames.valid(name, demo)).isInstanceOfSatisfying(BackendRefusal.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
      assertThat(e.details().getString("rule")).isEqualTo("selector");
      assertThat(e.getMessage()).contains("send the version in its own field");
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"-y", "--installroot=/", "demo-tool-", "demo*", "demo?", "demo[a]", "perl(Foo)", "/bin/sh",
      "../etc", "demo tool", "demo-tool=1.0", "demo-tool>=1", "demo-tool:1.0", "@core", "demo\u0000tool", "",
      "demo-tool.rpm", "demo+"})
  @DisplayName("options, globs, provides, paths, operators, module streams, groups and package files are 400")
  void hostile(String name) {
    assertThatThrownBy(() -> DnfNames.valid(name, demo)).isInstanceOfSatisfying(BackendRefusal.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
  }

  @Test
  @DisplayName("a plain unknown name passes the rules but is 404 PKG_NOT_FOUND where a package is needed")
  void unknownName() {
    assertThat(DnfNames.valid("demo-nosuch", demo)).isEqualTo("demo-nosuch");
    assertThatThrownBy(() -> DnfNames.known("demo-nosuch", demo)).isInstanceOfSatisfying(BackendRefusal.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.PKG_NOT_FOUND));
    assertThatThrownBy(() -> DnfNames.installed("demo-app", demo)).isInstanceOfSatisfying(BackendRefusal.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.PKG_NOT_FOUND));
  }

  @Test
  @DisplayName("a real name loses to a NAME.ARCH reading of another package, as dnf tries that first: 400")
  void knownNameShadowedByArchReading() {
    DnfInventory inventory = new TestInventories().installed("foo", "1.0-1", "x86_64")
        .offered("foo.x86_64", "2.0-1").offered("kernel-core", "6.1-1", "x86_64").offered("kernel", "6.1-1", "x86_64")
        .build();
    assertThatThrownBy(() -> DnfNames.valid("foo.x86_64", inventory)).isInstanceOf(BackendRefusal.class);
    // kernel-core reads as kernel version "core" only after the plain name: a real name wins there
    assertThat(DnfNames.known("kernel-core", inventory)).isEqualTo("kernel-core");
  }

  @Test
  @DisplayName("a requested version becomes the exact NEVRA the repository offers; an unoffered one is 404")
  void versionArguments() {
    assertThat(DnfNames.versionArgument("demo-tool", "1.0-1", demo)).isEqualTo("demo-tool-0:1.0-1.noarch");
    assertThat(DnfNames.versionArgument("demo-tool", "1.1", demo)).isEqualTo("demo-tool-0:1.1-1.noarch");
    assertThat(DnfNames.versionArgument("demo-tool", "0:1.1-1", demo)).isEqualTo("demo-tool-0:1.1-1.noarch");
    assertThatThrownBy(() -> DnfNames.versionArgument("demo-tool", "9.9", demo))
        .isInstanceOfSatisfying(BackendRefusal.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PKG_VERSION_NOT_FOUND));
    assertThatThrownBy(() -> DnfNames.versionArgument("demo-tool", "1.0 ; rm", demo))
        .isInstanceOfSatisfying(BackendRefusal.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
  }

  /**
   * hawkey itself (python3-hawkey, what dnf runs) as the oracle of the readings: for words without an
   * architecture, the NEVR and NEV splits in hawkey's order; for words ending in a known architecture, NEVRA and NA
   * too.
   */
  @ParameterizedTest
  @ValueSource(strings = {"demo-tool-1.1-1", "demo-tool", "a-b-c-d", "kernel-core", "demo-tool-1.0-1.noarch",
      "foo.x86_64", "python3-libs-3.11.2-1.fc38.x86_64", "x-1", "openssl-libs"})
  @DisplayName("the readings are hawkey's own, in hawkey's order")
  void readingsAreHawkeys(String word) {
    ProcessResult result = ProcessRunner.create().run(ProcessSpec.of("/usr/bin/python3", "-c",
        "import sys, hawkey\n"
            + "for n in hawkey.Subject(sys.argv[1]).get_nevra_possibilities():\n"
            + "  print('%s|%s|%s|%s' % (n.name, n.version, n.release, n.arch))\n", word));
    assumeTrue(result.succeeded(), "python3-hawkey (part of dnf) is not installed: " + result.stderr().text());
    List<String> hawkey = new ArrayList<>();
    for (String line : result.stdout().lines()) {
      if (!line.startsWith(word + "|")) { // the plain name
        hawkey.add(line.replace("None", "null"));
      }
    }
    List<String> ours = DnfNames.readings(word).stream()
        .filter(r -> r.arch() == null || List.of("noarch", "x86_64").contains(r.arch()))
        .map(r -> r.name() + "|" + r.version() + "|" + r.release() + "|" + r.arch()).toList();
    assertThat(ours).isEqualTo(hawkey);
  }
}
