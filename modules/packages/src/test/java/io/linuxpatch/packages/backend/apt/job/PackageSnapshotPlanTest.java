package io.linuxpatch.packages.backend.apt.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.config.PackageManagerConfig;
import io.linuxpatch.packages.backend.apt.AptBackend;
import io.linuxpatch.packages.job.PackageSnapshot;
import io.linuxpatch.process.ProcessRunner;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JOB-7: what an interrupted job changed, read back from its stored plan and the dpkg status file. */
@Tag("JOB-7")
class PackageSnapshotPlanTest {

  @TempDir
  Path dir;

  private static String stanza(String name, String status, String version) {
    return "Package: " + name + "\nStatus: " + status + "\nArchitecture: all\nVersion: " + version + "\n"
        + "Maintainer: t <t@example.invalid>\nDescription: t\n\n";
  }

  private static JsonObject action(String name, String from, String to) {
    return new JsonObject().put("name", name).put("from_version", from).put("to_version", to);
  }

  @Test
  @DisplayName("installed, upgraded and removed packages of the plan are changes; untouched ones and other packages are not")
  void changesOfThePlan() throws Exception {
    Path status = Files.createDirectories(dir.resolve("var/lib/dpkg")).resolve("status");
    // The run was interrupted: demo-app got installed, demo-tool upgraded and demo-legacy removed, while
    // demo-new's install and demo-ssl's upgrade never happened; "unrelated" is not in the plan.
    Files.writeString(status, stanza("demo-app", "install ok installed", "2.0")
        + stanza("demo-tool", "install ok installed", "1.1")
        + stanza("demo-legacy", "deinstall ok config-files", "0.9")
        + stanza("demo-ssl", "install ok installed", "1.0")
        + stanza("unrelated", "install ok installed", "9.0"));
    JsonObject plan = new JsonObject()
        .put("install", new JsonArray().add(action("demo-app", null, "2.0")).add(action("demo-new", null, "1.0")))
        .put("upgrade", new JsonArray().add(action("demo-tool", "1.0", "1.1")).add(action("demo-ssl", "1.0", "1.0+deb1")))
        .put("remove", new JsonArray().add(action("demo-legacy", "0.9", null)));

    AptBackend backend = new AptBackend(new PackageManagerConfig("apt", dir.toString(), Map.of(), List.of()), null,
        ProcessRunner.create());
    JsonArray changes = backend.snapshot().only(PackageSnapshot.namesOf(plan))
        .changesSince(PackageSnapshot.beforePlan(plan, backend.versionOrder()));

    assertThat(changes).containsExactly(
        new JsonObject().put("name", "demo-app").put("action", "install").putNull("from_version").put("to_version", "2.0"),
        new JsonObject().put("name", "demo-legacy").put("action", "remove").put("from_version", "0.9").putNull("to_version"),
        new JsonObject().put("name", "demo-tool").put("action", "upgrade").put("from_version", "1.0").put("to_version", "1.1"));
  }
}
