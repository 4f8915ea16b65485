package io.linuxpatch.packages.backend.apt.job;

import io.linuxpatch.packages.backend.apt.AptPaths;
import io.linuxpatch.contract.config.PackageManagerConfig;
import io.linuxpatch.packages.backend.apt.inventory.DpkgPackage;
import io.linuxpatch.packages.backend.apt.inventory.DpkgStatusField;
import io.linuxpatch.packages.backend.apt.inventory.DpkgStatusParser;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Checks dpkg's database after a run was interrupted (timeout, cancel, agent restart: JOB-5, JOB-7) and
 * repairs it with {@code dpkg --configure -a} when dpkg left work half done. Blocking: call it from a worker.
 *
 * <p>Two signals, because each misses cases: {@code dpkg --audit} (which exits 0 even when it reports
 * something, so its output is what counts) and the status file's own states.
 */
public final class DatabaseCheck {

  public static final String DPKG = "/usr/bin/dpkg";
  private static final Duration AUDIT_TIMEOUT = Duration.ofMinutes(2);
  /** Configuring every unpacked package runs maintainer scripts; JOB-5's job timeout is the bound for those. */
  private static final Duration CONFIGURE_TIMEOUT = Duration.ofMinutes(30);
  /** The longest {@link #run} can take: an audit, the repair, and a second audit. */
  public static final Duration WORST_CASE = AUDIT_TIMEOUT.multipliedBy(2).plus(CONFIGURE_TIMEOUT);
  private static final Set<DpkgStatusField.Current> UNFINISHED = EnumSet.of(DpkgStatusField.Current.HALF_INSTALLED,
      DpkgStatusField.Current.HALF_CONFIGURED, DpkgStatusField.Current.UNPACKED, DpkgStatusField.Current.TRIGGERS_AWAITED,
      DpkgStatusField.Current.TRIGGERS_PENDING);

  private final PackageManagerConfig config;
  private final ProcessRunner runner;

  public DatabaseCheck(PackageManagerConfig config, ProcessRunner runner) {
    this.config = config;
    this.runner = runner;
  }

  /** {@code dpkg <package_manager.options> ARGS…}: the options confine dpkg to the configured root. */
  public static List<String> dpkg(PackageManagerConfig config, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(DPKG);
    argv.addAll(config.options());
    argv.addAll(List.of(args));
    return argv;
  }

  /** {@code {"interrupted", "repaired", "logs"}} as {@code PACKAGES_CHECK_DATABASE} answers. */
  public JsonObject run() {
    List<String> logs = new ArrayList<>();
    List<String> unfinished = unfinishedPackages(logs);
    ProcessResult audit = runner.run(spec(dpkg(config, "--audit"), AUDIT_TIMEOUT));
    String report = (audit.stdout().text() + audit.stderr().text()).strip();
    boolean interrupted = !report.isEmpty() || !unfinished.isEmpty();
    if (!interrupted) {
      logs.add("database check: dpkg --audit reports nothing; no repair needed");
      return result(false, false, logs);
    }
    logs.add("database check: dpkg left work unfinished"
        + (unfinished.isEmpty() ? "" : " (" + String.join(", ", unfinished) + ")"));
    report.lines().forEach(l -> logs.add("dpkg --audit: " + l));
    logs.add("database check: running dpkg --configure -a");
    ProcessResult configure = runner.run(spec(dpkg(config, "--configure", "-a"), CONFIGURE_TIMEOUT));
    configure.stdout().lines().forEach(logs::add);
    configure.stderr().lines().forEach(logs::add);
    boolean clean = configure.succeeded() && unfinishedPackages(logs).isEmpty();
    if (clean) {
      ProcessResult again = runner.run(spec(dpkg(config, "--audit"), AUDIT_TIMEOUT));
      clean = (again.stdout().text() + again.stderr().text()).isBlank();
    }
    logs.add(clean ? "database check: repaired" : "database check: dpkg --configure -a exited "
        + configure.exitCode() + " and the database is still not clean");
    return result(true, clean, logs);
  }

  private List<String> unfinishedPackages(List<String> logs) {
    Path status = AptPaths.of(config).statusFile();
    try {
      String text = new String(Files.readAllBytes(status), StandardCharsets.UTF_8);
      List<String> names = new ArrayList<>();
      for (DpkgPackage p : new DpkgStatusParser().parse("status", text).packages()) {
        if (UNFINISHED.contains(p.state().current()) || p.state().reinstallRequired()) {
          names.add(p.name() + " " + p.state().current().word());
        }
      }
      return names;
    } catch (IOException e) {
      logs.add("database check: cannot read " + status + ": " + e.getMessage());
      return List.of();
    }
  }

  private ProcessSpec spec(List<String> argv, Duration timeout) {
    return ProcessSpec.of(argv).withExtraEnv(config.env()).withTimeout(timeout);
  }

  private static JsonObject result(boolean interrupted, boolean repaired, List<String> logs) {
    return new JsonObject().put("interrupted", interrupted).put("repaired", repaired).put("logs", new JsonArray(logs));
  }
}
