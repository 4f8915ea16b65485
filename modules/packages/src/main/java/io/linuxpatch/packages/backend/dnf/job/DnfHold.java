package io.linuxpatch.packages.backend.dnf.job;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.backend.dnf.DnfCommands;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Holds with the versionlock plugin (the SPEC's "dnf versionlock"): {@code dnf versionlock add -- NAME} locks the
 * installed version (the plugin writes {@code NAME-EPOCH:VERSION-RELEASE.*} into its lock list), {@code versionlock
 * delete -- NAME} removes every lock of that name. dnf then hides a held package's other versions from every
 * resolution (updates, patch runs, plans). The lock list is read from the file itself, so the answer reflects this
 * very call. Blocking.
 */
public final class DnfHold {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final DnfCommands commands;
  private final ProcessRunner runner;

  public DnfHold(DnfCommands commands, ProcessRunner runner) {
    this.commands = commands;
    this.runner = runner;
  }

  /** The lock list as it is on disk; empty when the plugin has no list (or it does not exist yet). */
  public VersionLockList read() throws IOException {
    Optional<Path> file = commands.lockList();
    if (file.isEmpty()) {
      return new VersionLockList(List.of());
    }
    try {
      return VersionLockList.parse(Files.readString(file.get(), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return new VersionLockList(List.of());
    }
  }

  /**
   * Holds or releases {@code name}, which the caller has validated and found installed: {@code {"name", "held",
   * "changed"}}.
   */
  public JsonObject apply(String name, boolean hold) throws IOException {
    if (commands.lockList().isEmpty()) {
      throw new BackendRefusal(ErrorCode.BACKEND_UNAVAILABLE, "dnf's versionlock plugin has no lock list configured "
          + "(install python3-dnf-plugin-versionlock)", new JsonObject().put("name", name));
    }
    boolean before = read().holds(name);
    ProcessResult result = runner.run(commands.spec(commands.dnf("-C", "versionlock", hold ? "add" : "delete", "--",
        name), TIMEOUT));
    boolean after = read().holds(name);
    if (!result.succeeded() || after != hold) {
      String text = (result.stdout().text() + "\n" + result.stderr().text()).strip();
      throw new BackendRefusal(ErrorCode.BACKEND_UNAVAILABLE, "dnf versionlock " + (hold ? "add " : "delete ") + name
          + " failed: " + Optional.ofNullable(DnfFailure.firstError(text)).orElse("exit " + result.exitCode()),
          new JsonObject().put("exit_code", result.exitCode()));
    }
    return new JsonObject().put("name", name).put("held", after).put("changed", before != after);
  }
}
