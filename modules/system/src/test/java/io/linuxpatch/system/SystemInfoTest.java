package io.linuxpatch.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.LocalCodec;
import io.linuxpatch.contract.config.AgentConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** SystemVerticle answers endpoint 9 with the machine's real facts. */
@ExtendWith(VertxExtension.class)
class SystemInfoTest {

  private TestHost host;

  @BeforeEach
  void setUp(@TempDir Path dir) throws Exception {
    host = new TestHost(dir);
  }

  private static long procCpuCount() throws Exception {
    return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("processor")).count();
  }

  private static long procMemTotalBytes() throws Exception {
    String line = Files.readAllLines(Path.of("/proc/meminfo")).stream()
        .filter(l -> l.startsWith("MemTotal:")).findFirst().orElseThrow();
    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
  }

  @Test
  @DisplayName("System info answers every endpoint-9 field with the machine's real values and the test's os-release")
  void infoFields(Vertx vertx, VertxTestContext ctx) throws Exception {
    long cpus = procCpuCount();
    long memory = procMemTotalBytes();
    String machineId = Files.exists(Path.of("/etc/machine-id"))
        ? Files.readString(Path.of("/etc/machine-id")).strip() : null;
    String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
    String hostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();

    host.deploy(vertx)
        .compose(id -> vertx.eventBus().<JsonObject>request(Addresses.SYSTEM_INFO, null))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          JsonObject info = reply.body();
          assertThat(info.fieldNames()).containsExactlyInAnyOrder("hostname", "fqdn", "machine_id", "os", "kernel",
              "architecture", "cpu_count", "memory_bytes", "uptime_seconds", "last_boot", "package_manager",
              "reboot_required", "restart_needed", "last_cache_refresh", "last_patch_apply", "api_version");
          assertThat(info.getString("hostname")).isEqualTo(hostname);
          assertThat(info.getString("fqdn")).startsWith(hostname);
          assertThat(info.getString("machine_id")).isEqualTo(machineId);
          assertThat(info.getJsonObject("os")).isEqualTo(new JsonObject()
              .put("name", "LPA Test Linux").put("version", "7 (testing)").put("version_id", "7")
              .put("codename", "testing").put("id", "lpa-test").put("id_like", List.of("debian", "ubuntu")));
          assertThat(info.getString("kernel")).isEqualTo(kernel);
          assertThat(info.getString("architecture")).isNotBlank().doesNotContain("amd64");
          assertThat(info.getLong("cpu_count")).isEqualTo(cpus)
              .isGreaterThanOrEqualTo((long) Runtime.getRuntime().availableProcessors());
          assertThat(info.getLong("memory_bytes")).isBetween(memory - 64L * 1024 * 1024, memory + 64L * 1024 * 1024);
          double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
          assertThat(info.getLong("uptime_seconds")).isBetween((long) uptime - 5, (long) uptime + 1);
          assertThat(info.getString("last_boot")).endsWith("Z");
          Instant boot = Instant.parse(info.getString("last_boot"));
          assertThat(boot).isBetween(Instant.now().minusSeconds((long) uptime + 5),
              Instant.now().minusSeconds((long) uptime - 5));
          assertThat(info.containsKey("package_manager")).isTrue();
          assertThat(info.getValue("package_manager")).isNull();
          assertThat(info.getValue("last_cache_refresh")).isNull();
          assertThat(info.getValue("last_patch_apply")).isNull();
          assertThat(info.getString("api_version")).isEqualTo("v1");
          // No PackageVerticle here: the newest installed kernel is unknown, which is no reason to reboot.
          assertThat(info.getJsonObject("reboot_required")).isEqualTo(new JsonObject().put("required", false)
              .put("packages", List.of()).put("running_kernel", kernel).put("newest_installed_kernel", null)
              .put("reasons", List.of()));
          assertThat(info.getJsonObject("restart_needed").fieldNames()).containsExactly("services", "processes");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("reboot_required follows the flag file and its .pkgs list, read on every request")
  void rebootRequired(Vertx vertx, VertxTestContext ctx) throws Exception {
    host.deploy(vertx)
        .compose(id -> {
          try {
            Files.writeString(host.rebootRequired, "*** System restart required ***\n");
            Files.writeString(host.rebootRequired.resolveSibling("reboot-required.pkgs"), "linux-image-amd64\nlibc6\n");
          } catch (Exception e) {
            return io.vertx.core.Future.failedFuture(e);
          }
          return vertx.eventBus().<JsonObject>request(Addresses.SYSTEM_INFO, null);
        })
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          JsonObject reboot = reply.body().getJsonObject("reboot_required");
          assertThat(reboot.getBoolean("required")).isTrue();
          assertThat(reboot.getJsonArray("packages")).containsExactly("linux-image-amd64", "libc6");
          assertThat(reboot.getJsonArray("reasons")).containsExactly("reboot-required file present");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("A config change on lpa.config.changed moves the reboot-required file the verticle reads")
  void configChange(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path elsewhere = Files.writeString(host.dir.resolve("other-flag"), "");
    JsonObject changed = host.config();
    changed.getJsonObject("system").put("reboot_required_file", elsewhere.toString());
    AgentConfig newConfig = AgentConfig.parse(changed).config();

    host.deploy(vertx)
        .compose(id -> {
          LocalCodec.register(vertx.eventBus(), AgentConfig.class);
          vertx.eventBus().publish(Addresses.CONFIG_CHANGED, newConfig);
          // The verticle handles messages in order, so this request sees the new config.
          return vertx.eventBus().<JsonObject>request(Addresses.SYSTEM_INFO, null);
        })
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertThat(reply.body().getJsonObject("reboot_required").getBoolean("required")).isTrue();
          ctx.completeNow();
        })));
  }
}
