package io.linuxpatch.system;

import io.linuxpatch.process.ProcessRunner;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** A fake host in a temporary directory: its own os-release, reboot flag, data dir and service managers. */
final class TestHost {

  static final String OS_RELEASE = """
      NAME="LPA Test Linux"
      VERSION="7 (testing)"
      VERSION_ID="7"
      VERSION_CODENAME=testing
      ID=lpa-test
      ID_LIKE="debian ubuntu"
      """;

  final Path dir;
  final Path rebootRequired;
  final Path dataDir;
  HostPaths paths;

  TestHost(Path dir) throws IOException {
    this.dir = dir;
    this.rebootRequired = dir.resolve("run/reboot-required");
    this.dataDir = dir.resolve("var/lib/linux_patch_api");
    Files.createDirectories(rebootRequired.getParent());
    Path osRelease = Files.writeString(dir.resolve("os-release"), OS_RELEASE);
    // No service manager unless a test installs one.
    this.paths = HostPaths.standard().withOsRelease(osRelease)
        .withServiceManagers(dir.resolve("run/systemd/system"), List.of(dir.resolve("bin/systemctl")),
            List.of(dir.resolve("sbin/rc-service")));
  }

  /** The raw YAML-as-JSON document the agent deploys SystemVerticle with. */
  JsonObject config() {
    return new JsonObject()
        .put("data_dir", dataDir.toString())
        .put("system", new JsonObject().put("reboot_required_file", rebootRequired.toString()));
  }

  Future<String> deploy(Vertx vertx) {
    return deploy(vertx, new SystemVerticle(paths, ProcessRunner.create()));
  }

  /** Deploys with a restart scanner of the test's own (its /proc prefixes). */
  Future<String> deploy(Vertx vertx, DeletedFileUsers deletedFileUsers) {
    return deploy(vertx, new SystemVerticle(paths, ProcessRunner.create(), deletedFileUsers));
  }

  private Future<String> deploy(Vertx vertx, SystemVerticle verticle) {
    return vertx.deployVerticle(verticle,
        new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setConfig(config()));
  }

  /** Makes systemd look like the running init, with a fake systemctl script (tests only use a shell). */
  Path installSystemd(String script) throws IOException {
    Files.createDirectories(dir.resolve("run/systemd/system"));
    return executable(dir.resolve("bin/systemctl"), script);
  }

  Path installOpenRc(String script) throws IOException {
    return executable(dir.resolve("sbin/rc-service"), script);
  }

  private static Path executable(Path file, String script) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n" + script);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
