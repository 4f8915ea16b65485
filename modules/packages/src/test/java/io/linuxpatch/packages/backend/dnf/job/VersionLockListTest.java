package io.linuxpatch.packages.backend.dnf.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.backend.dnf.DnfTools;
import io.linuxpatch.packages.backend.dnf.HostRpmStateGuard;
import io.linuxpatch.packages.backend.dnf.sandbox.DnfSandbox;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Holds on dnf: the versionlock plugin's list as dnf prints it and as its file holds it. */
@ExtendWith(HostRpmStateGuard.class)
class VersionLockListTest {

  private static final ProcessRunner RUNNER = ProcessRunner.create();

  @TempDir
  static Path dir;
  static DnfSandbox sandbox;

  @BeforeAll
  static void create() {
    DnfTools.assumeDnfSandboxTools();
    sandbox = DnfSandbox.create(dir, RUNNER);
  }

  @Test
  @DisplayName("versionlock add/exclude: dnf's list and the sandbox file read the same; a held package leaves check-update")
  void liveList() throws Exception {
    run(sandbox.dnf("-C", "-q", "versionlock", "add", "--", "demo-tool"), 0);
    run(sandbox.dnf("-C", "-q", "versionlock", "exclude", "--", "demo-ssl-1.1-1"), 0);

    VersionLockList printed = VersionLockList.parse(run(sandbox.dnf("-C", "versionlock", "list"), 0).stdout().text());
    VersionLockList file = VersionLockList.parse(Files.readString(sandbox.versionLockList()));
    ProcessResult checkUpdate = RUNNER.run(sandbox.dnf("-C", "-q", "check-update"));

    assertThat(printed).isEqualTo(file);
    assertThat(printed.entries()).extracting(e -> (e.exclude() ? "!" : "") + e.name() + " " + e.version() + " " + e.arch())
        .containsExactly("demo-tool 0:1.0-1 *", "!demo-ssl 0:1.1-1 *");
    assertThat(printed.heldNames()).containsExactly("demo-tool");
    assertThat(printed.holds("demo-tool")).isTrue();
    assertThat(printed.holds("demo-ssl")).isFalse();
    assertThat(checkUpdate.exitCode()).isZero();
    assertThat(checkUpdate.stdout().text()).doesNotContain("demo-tool", "demo-ssl");

    run(sandbox.dnf("-C", "-q", "versionlock", "clear"), 0);
    assertThat(VersionLockList.parse(Files.readString(sandbox.versionLockList())).entries()).isEmpty();
  }

  @Test
  @DisplayName("a bare name or glob an administrator wrote is a hold of that pattern; comments are skipped")
  void handWritten() {
    VersionLockList list = VersionLockList.parse("# Added lock on Thu Dec  3 04:23:45 2026\n"
        + "kernel-0:5.14.0-362.8.1.el9_3.*\n\nopenssl\ndemo-*\n");

    assertThat(list.entries()).extracting(VersionLockList.Entry::name).containsExactly("kernel", "openssl", "demo-*");
    assertThat(list.entries().get(0).version().toString()).isEqualTo("0:5.14.0-362.8.1.el9_3");
    assertThat(list.entries().get(1).version()).isNull();
  }

  private static ProcessResult run(ProcessSpec spec, int expectedExit) {
    ProcessResult result = RUNNER.run(spec);
    assertThat(result.exitCode()).as("%s: %s", spec.argv(), result.stderr().text()).isEqualTo(expectedExit);
    return result;
  }
}
