package io.linuxpatch.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the reboot-required flag file and its package list. */
class RebootRequiredTest {

  @Test
  @DisplayName("Flag file present: reboot required, packages from .pkgs once each in file order")
  void required(@TempDir Path dir) throws Exception {
    Path flag = dir.resolve("reboot-required");
    Files.writeString(flag, "*** System restart required ***\n");
    Files.writeString(dir.resolve("reboot-required.pkgs"), "linux-image-6.1.0-18-amd64\nlibc6\n\nlinux-image-6.1.0-18-amd64\n");

    assertThat(RebootRequired.read(flag))
        .isEqualTo(new RebootRequired(true, java.util.List.of("linux-image-6.1.0-18-amd64", "libc6")));
  }

  @Test
  @DisplayName("Flag without .pkgs: required with an empty list; no flag: not required even if .pkgs lingers")
  void flagOnlyAndNoFlag(@TempDir Path dir) throws Exception {
    Path flag = dir.resolve("reboot-required");
    Files.writeString(flag, "");
    assertThat(RebootRequired.read(flag)).isEqualTo(new RebootRequired(true, java.util.List.of()));

    Files.delete(flag);
    Files.writeString(dir.resolve("reboot-required.pkgs"), "libc6\n");
    assertThat(RebootRequired.read(flag)).isEqualTo(new RebootRequired(false, java.util.List.of()));
  }
}
