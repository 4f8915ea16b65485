package io.linuxpatch.packages.backend.apt.job;

import io.linuxpatch.packages.backend.apt.AptPaths;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.config.PackageManagerConfig;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.backend.apt.AptBackend;
import io.linuxpatch.packages.backend.apt.inventory.DpkgPackage;
import io.linuxpatch.packages.backend.apt.inventory.DpkgStatusParser;
import io.linuxpatch.packages.backend.apt.inventory.Inventory;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Holds or releases one installed package with {@code apt-mark hold|unhold -- NAME}. apt-mark runs
 * {@code dpkg --set-selections} with apt's {@code DPkg::Options}, so under a sandbox's {@code APT_CONFIG}
 * it writes the sandbox's selections (checked on apt 2.6: the host's stay untouched). Blocking.
 */
public final class PackageHold {

  static final String APT_MARK = "/usr/bin/apt-mark";
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final AptBackend backend;
  private final PackageManagerConfig config;
  private final ProcessRunner runner;

  public PackageHold(AptBackend backend, PackageManagerConfig config, ProcessRunner runner) {
    this.backend = backend;
    this.config = config;
    this.runner = runner;
  }

  /** {@code {"name", "held", "changed"}}; PKG_NOT_FOUND when the package is not installed. */
  public JsonObject apply(String requestedName, boolean hold) throws IOException {
    Inventory inventory = backend.inventory();
    String name = backend.validName(requestedName, inventory);
    boolean installed = inventory.find(name).map(p -> p.state().isPresent()).orElse(false);
    if (!installed) {
      throw new BackendRefusal(ErrorCode.PKG_NOT_FOUND, name + " is not installed", new JsonObject().put("name", name));
    }
    boolean before = heldNow(name);
    ProcessResult result = runner.run(ProcessSpec.of(List.of(APT_MARK, hold ? "hold" : "unhold", "--", name))
        .withExtraEnv(config.env()).withTimeout(TIMEOUT));
    boolean after = heldNow(name);
    if (!result.succeeded() || after != hold) {
      String text = result.stdout().text() + result.stderr().text();
      throw new BackendRefusal(ErrorCode.BACKEND_UNAVAILABLE, "apt-mark " + (hold ? "hold " : "unhold ") + name
          + " failed: " + Optional.ofNullable(AptFailure.firstError(text)).orElse("exit " + result.exitCode()),
          new JsonObject().put("exit_code", result.exitCode()));
    }
    return new JsonObject().put("name", name).put("held", after).put("changed", before != after);
  }

  /** Read from the status file itself, not the inventory cache, so the answer reflects this very call. */
  private boolean heldNow(String name) throws IOException {
    Path status = AptPaths.of(config).statusFile();
    String text = new String(Files.readAllBytes(status), StandardCharsets.UTF_8);
    return new DpkgStatusParser().parse("status", text).packages().stream()
        .filter(p -> p.name().equals(name))
        .map(DpkgPackage::state)
        .anyMatch(s -> s.isHeld());
  }
}
