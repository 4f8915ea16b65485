package io.linuxpatch.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inside a chroot (a debootstrap'ed system, a container) the mount table does not name the root, and the JDK's
 * {@code Files.getFileStore} fails with "Mount point not found": the disk check must measure the data directory
 * itself. The chroot is real: a private mount namespace ({@code unshare -m}, so nothing leaks) with the host's
 * {@code /usr}, {@code /lib}… and the test's classpath bound in, and a JVM started in it.
 */
class DiskCheckChrootTest {

  private static final Path UNSHARE = Path.of("/usr/bin/unshare");
  private static final Path CHROOT = Path.of("/usr/sbin/chroot");

  @Test
  @DisplayName("In a chroot whose root is no mount point, free space of the data directory is measured, not an error")
  void measuresInsideChroot(@TempDir Path dir) throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(UNSHARE)
        && Files.isExecutable(CHROOT), "needs root, unshare and chroot to build a real chroot");
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.createDirectories(root.resolve("var/lib/linux_patch_api"));
    Set<String> binds = new LinkedHashSet<>();
    StringBuilder script = new StringBuilder("set -e\n");
    for (String system : List.of("/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin", "/etc")) {
      Path path = Path.of(system);
      if (Files.isSymbolicLink(path)) {
        // A merged /usr: /lib64 -> usr/lib64 and the like are links, made again inside.
        script.append("ln -s '").append(Files.readSymbolicLink(path)).append("' '").append(root).append(system)
            .append("'\n");
      } else if (Files.isDirectory(path)) {
        binds.add(system);
      }
    }
    // The classpath's top directories (the Maven repository, the project), bound at the same paths.
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry).toAbsolutePath();
      if (path.getNameCount() > 0) {
        binds.add(path.getRoot().resolve(path.getName(0)).toString());
      }
    }
    String java = ProcessHandle.current().info().command().orElseThrow();
    for (String bind : binds) {
      script.append("mkdir -p '").append(root).append(bind).append("'\n")
          .append("mount --bind '").append(bind).append("' '").append(root).append(bind).append("'\n");
    }
    script.append("mkdir -p '").append(root).append("/proc'\nmount -t proc proc '").append(root).append("/proc'\n")
        .append("exec '").append(CHROOT).append("' '").append(root).append("' '").append(java).append("' -cp '")
        .append(System.getProperty("java.class.path")).append("' ").append(DiskCheckProbe.class.getName())
        .append(" /var/lib/linux_patch_api\n");
    List<String> command = new ArrayList<>(List.of(UNSHARE.toString(), "--mount", "/bin/sh", "-c", script.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assumeTrue(process.exitValue() == 0 || !output.contains("mount:"),
        "this machine does not allow bind mounts in a private namespace: " + output);
    assertThat(process.exitValue()).as(output).isZero();

    JsonObject check = new JsonObject(output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
    assertThat(check.getString("message")).doesNotContain("cannot measure");
    assertThat(check.getJsonObject("details").getLong("total_bytes")).isPositive();
    assertThat(check.getJsonObject("details").getLong("free_bytes")).isPositive();
  }
}
