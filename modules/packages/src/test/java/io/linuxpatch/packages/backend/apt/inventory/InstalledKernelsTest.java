package io.linuxpatch.packages.backend.apt.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PKG-4's newest installed kernel, chosen from an inventory read from hand-written status files. */
@Tag("PKG-4")
@DisplayName("The newest installed kernel is chosen from the installed linux-image-<release> packages")
class InstalledKernelsTest {

  /** A Debian host mid-upgrade: three kernels, a meta package, debug symbols, a removed and a half-installed one. */
  static final String STATUS = """
      Package: linux-image-6.1.0-9-amd64
      Status: install ok installed
      Architecture: amd64
      Source: linux-signed-amd64 (6.1.27+1)
      Version: 6.1.27-1
      Description: Linux 6.1 for 64-bit PCs (signed)

      Package: linux-image-amd64
      Status: install ok installed
      Architecture: amd64
      Version: 6.1.76-1
      Depends: linux-image-6.1.0-18-amd64 (= 6.1.76-1)
      Description: Linux for 64-bit PCs (meta-package)

      Package: linux-image-6.1.0-18-amd64
      Status: hold ok installed
      Architecture: amd64
      Version: 6.1.76-1
      Description: Linux 6.1 for 64-bit PCs (signed)

      Package: linux-image-6.1.0-17-amd64
      Status: install ok installed
      Architecture: amd64
      Version: 6.1.69-1
      Description: Linux 6.1 for 64-bit PCs (signed)

      Package: linux-image-6.1.0-18-amd64-dbg
      Status: install ok installed
      Architecture: amd64
      Version: 6.1.76-1
      Description: debug symbols

      Package: linux-image-6.1.0-20-amd64
      Status: deinstall ok config-files
      Architecture: amd64
      Version: 6.1.85-1
      Description: removed, configuration files left

      Package: linux-image-6.1.0-21-amd64
      Status: install ok half-configured
      Architecture: amd64
      Version: 6.1.90-1
      Description: its postinst failed

      Package: linux-headers-6.1.0-22-amd64
      Status: install ok installed
      Architecture: amd64
      Version: 6.1.94-1
      Description: headers are no kernel

      Package: curl
      Status: install ok installed
      Architecture: amd64
      Version: 7.88.1-10+deb12u5
      Description: command line tool for transferring data
      """;

  private static Inventory inventory(Path root, String status) throws IOException {
    Path adminDir = Files.createDirectories(root.resolve("var/lib/dpkg"));
    Files.writeString(adminDir.resolve("status"), status);
    Path lists = Files.createDirectories(root.resolve("var/lib/apt/lists"));
    Inventory inventory = new InventoryCache(adminDir, lists).current();
    assertThat(inventory.problems()).isEmpty();
    return inventory;
  }

  @Test
  @DisplayName("only installed (ii/hi) kernel images count, oldest first, and the newest is the highest package version")
  void newestOfInstalled(@TempDir Path root) throws IOException {
    InstalledKernels kernels = InstalledKernels.of(inventory(root, STATUS));

    assertThat(kernels.releases()).containsExactly("6.1.0-9-amd64", "6.1.0-17-amd64", "6.1.0-18-amd64");
    assertThat(kernels.newest()).contains("6.1.0-18-amd64");
    assertThat(kernels.toJson()).isEqualTo(new JsonObject()
        .put("installed_kernels", List.of("6.1.0-9-amd64", "6.1.0-17-amd64", "6.1.0-18-amd64"))
        .put("newest", "6.1.0-18-amd64"));
  }

  @Test
  @DisplayName("equal package versions are ordered by release in dpkg's order, so 6.1.0-18 beats 6.1.0-9")
  void tieBrokenByRelease(@TempDir Path root) throws IOException {
    InstalledKernels kernels = InstalledKernels.of(inventory(root, """
        Package: linux-image-6.1.0-18-amd64
        Status: install ok installed
        Architecture: amd64
        Version: 6.1.76-1
        Description: one build

        Package: linux-image-6.1.0-9-amd64
        Status: install ok installed
        Architecture: amd64
        Version: 6.1.76-1
        Description: same version, older ABI
        """));

    assertThat(kernels.releases()).containsExactly("6.1.0-9-amd64", "6.1.0-18-amd64");
    assertThat(kernels.newest()).contains("6.1.0-18-amd64");
  }

  @Test
  @DisplayName("a host without kernel packages (a container) has no installed kernels and no newest")
  void noKernels(@TempDir Path root) throws IOException {
    InstalledKernels kernels = InstalledKernels.of(inventory(root, """
        Package: linux-image-amd64
        Status: install ok installed
        Architecture: amd64
        Version: 6.1.76-1
        Description: a meta package alone installs no kernel here

        Package: curl
        Status: install ok installed
        Architecture: amd64
        Version: 7.88.1-10+deb12u5
        Description: command line tool for transferring data
        """));

    assertThat(kernels.releases()).isEmpty();
    assertThat(kernels.newest()).isEmpty();
    JsonObject json = kernels.toJson();
    assertThat(json.getJsonArray("installed_kernels")).isEmpty();
    assertThat(json.containsKey("newest")).isTrue();
    assertThat(json.getValue("newest")).isNull();
  }

  @Test
  @DisplayName("package names map to the release uname -r will print: unsigned builds included, meta and debug packages not")
  void releaseOfPackageName() {
    assertThat(InstalledKernels.release("linux-image-6.1.0-18-amd64")).contains("6.1.0-18-amd64");
    assertThat(InstalledKernels.release("linux-image-6.1.0-18-amd64-unsigned")).contains("6.1.0-18-amd64");
    assertThat(InstalledKernels.release("linux-image-unsigned-6.5.0-14-generic")).contains("6.5.0-14-generic");
    assertThat(InstalledKernels.release("linux-image-5.15.0-91-generic")).contains("5.15.0-91-generic");
    assertThat(InstalledKernels.release("linux-image-amd64")).isEmpty();
    assertThat(InstalledKernels.release("linux-image-generic")).isEmpty();
    assertThat(InstalledKernels.release("linux-image-cloud-amd64")).isEmpty();
    assertThat(InstalledKernels.release("linux-image-6.1.0-18-amd64-dbg")).isEmpty();
    assertThat(InstalledKernels.release("linux-image-6.5.0-14-generic-dbgsym")).isEmpty();
    assertThat(InstalledKernels.release("linux-headers-6.1.0-18-amd64")).isEmpty();
    assertThat(InstalledKernels.release("linux-image-")).isEmpty();
  }
}
