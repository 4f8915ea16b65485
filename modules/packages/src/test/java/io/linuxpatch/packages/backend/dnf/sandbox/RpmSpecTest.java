package io.linuxpatch.packages.backend.dnf.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linuxpatch.packages.backend.dnf.sandbox.RpmSpec.Relation;
import io.linuxpatch.packages.backend.dnf.sandbox.RpmSpec.Scriptlet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The spec text RpmBuilder writes, and the values RpmSpec refuses so that no field can carry spec syntax. */
class RpmSpecTest {

  @Test
  @DisplayName("the spec says exactly the fields, relations, files and literal scriptlets of the RpmSpec")
  void specText() {
    RpmSpec spec = RpmSpec.of("demo-x", "1.0", "2", "50% demo").withEpoch(3)
        .with(Relation.REQUIRES, "demo-lib >= 2.0").with(Relation.PROVIDES, "/bin/sh")
        .withDirectory("/var/lib/demo-x")
        .withFile(RpmSpec.RpmFile.text("/usr/share/doc/demo-x/README", "hi"))
        .withScriptlet(Scriptlet.POST, "echo \"100%\" >> /var/lib/demo-x/log");

    String text = RpmBuilder.specText(spec, Path.of("/s/build/stage/demo-x-1.0-2"));

    assertThat(text).contains("Name: demo-x\nEpoch: 3\nVersion: 1.0\nRelease: 2\nSummary: 50%% demo\n",
        "BuildArch: noarch\n", "AutoReqProv: no\n", "Requires: demo-lib >= 2.0\n", "Provides: /bin/sh\n",
        "cp -a '/s/build/stage/demo-x-1.0-2/.' \"%{buildroot}/\"\n",
        "%files\n%dir /var/lib/demo-x\n/usr/share/doc/demo-x/README\n",
        "%post\necho \"100%%\" >> /var/lib/demo-x/log\n");
    assertThat(spec.evr()).isEqualTo("3:1.0-2");
    assertThat(spec.nameVersionRelease()).isEqualTo("demo-x-1.0-2");
  }

  @Test
  @DisplayName("names, versions, relations, paths and section-like lines that would break the spec are refused")
  void refusals() {
    RpmSpec base = RpmSpec.of("demo-x", "1.0", "1", "x");
    assertThatThrownBy(() -> RpmSpec.of("-x", "1.0", "1", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RpmSpec.of("demo-x", "1.0-1", "1", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RpmSpec.of("demo-x", "1.0", "1", "x\nRequires: evil"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> base.with(Relation.REQUIRES, "a\nb")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> base.withDirectory("/var/../etc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> base.withDirectory("relative")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> base.withDescription("text\n%files\n/etc/shadow"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spec section");
    assertThatThrownBy(() -> base.withScriptlet(Scriptlet.PRE, "true\n  %post"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("sandbox-sh takes the library paths ldd prints, loader included, vDSO left out")
  void lddPaths() {
    List<String> ldd = List.of("\tlinux-vdso.so.1 (0x00007fe681884000)",
        "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007fe68166f000)",
        "\t/lib64/ld-linux-x86-64.so.2 (0x00007fe681886000)");

    assertThat(SandboxShell.libraries(ldd))
        .containsExactly("/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2");
  }
}
