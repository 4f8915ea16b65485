package io.linuxpatch.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.LocalCodec;
import io.linuxpatch.contract.ServiceFailure;
import io.linuxpatch.contract.health.HealthCheck;
import io.linuxpatch.contract.health.HealthStatus;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * PKG-4 everywhere: system info compares the running kernel with the newest installed one, which it asks
 * PackageVerticle for on {@code lpa.packages.kernels} (played here by a fake consumer), and the "reboot"
 * health check reports the outcome.
 */
@Tag("PKG-4")
@ExtendWith(VertxExtension.class)
class KernelComparisonTest {

  private static final String NEWER = "99.0.0-1-lpa-test";

  private TestHost host;
  private String running;

  @BeforeEach
  void setUp(@TempDir Path dir) throws Exception {
    host = new TestHost(dir);
    running = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
  }

  /** A PackageVerticle stand-in whose newest installed kernel is {@code newest}. */
  private static void fakeKernels(Vertx vertx, String newest) throws Exception {
    vertx.eventBus().<Object>localConsumer(Addresses.PACKAGES_KERNELS, message -> message.reply(new JsonObject()
            .put("installed_kernels", newest == null ? List.of() : List.of(newest)).put("newest", newest)))
        .completion().await(5, TimeUnit.SECONDS);
  }

  private JsonObject rebootRequired(Vertx vertx) throws Exception {
    host.deploy(vertx).await(30, TimeUnit.SECONDS);
    return vertx.eventBus().<JsonObject>request(Addresses.SYSTEM_INFO, null).await(10, TimeUnit.SECONDS)
        .body().getJsonObject("reboot_required");
  }

  @Test
  @DisplayName("A newest installed kernel other than the running one is a reason, and a reboot is required")
  void newerKernelInstalled(Vertx vertx) throws Exception {
    fakeKernels(vertx, NEWER);

    JsonObject reboot = rebootRequired(vertx);

    assertThat(reboot.getString("running_kernel")).isEqualTo(running);
    assertThat(reboot.getString("newest_installed_kernel")).isEqualTo(NEWER);
    assertThat(reboot.getJsonArray("reasons"))
        .containsExactly("newer kernel installed: " + NEWER + " (running " + running + ")");
    assertThat(reboot.getBoolean("required")).isTrue();
  }

  @Test
  @DisplayName("With the reboot-required file present as well, both reasons are listed, the file first")
  void flagAndKernel(Vertx vertx) throws Exception {
    fakeKernels(vertx, NEWER);
    Files.writeString(host.rebootRequired, "*** System restart required ***\n");

    JsonObject reboot = rebootRequired(vertx);

    assertThat(reboot.getJsonArray("reasons")).containsExactly("reboot-required file present",
        "newer kernel installed: " + NEWER + " (running " + running + ")");
    assertThat(reboot.getBoolean("required")).isTrue();
  }

  @Test
  @DisplayName("Running the newest installed kernel is no reason to reboot")
  void runningNewest(Vertx vertx) throws Exception {
    fakeKernels(vertx, running);

    JsonObject reboot = rebootRequired(vertx);

    assertThat(reboot.getString("newest_installed_kernel")).isEqualTo(running);
    assertThat(reboot.getJsonArray("reasons")).isEmpty();
    assertThat(reboot.getBoolean("required")).isFalse();
  }

  @Test
  @DisplayName("With no consumer on lpa.packages.kernels the newest kernel is null and system info still answers")
  void noPackageVerticle(Vertx vertx) throws Exception {
    JsonObject reboot = rebootRequired(vertx);

    assertThat(reboot.containsKey("newest_installed_kernel")).isTrue();
    assertThat(reboot.getValue("newest_installed_kernel")).isNull();
    assertThat(reboot.getString("running_kernel")).isEqualTo(running);
    assertThat(reboot.getBoolean("required")).isFalse();
  }

  @Test
  @DisplayName("A package backend that fails the request (none configured) leaves the newest kernel null")
  void backendUnavailable(Vertx vertx) throws Exception {
    vertx.eventBus().<Object>localConsumer(Addresses.PACKAGES_KERNELS,
            message -> ServiceFailure.fail(message, ErrorCode.BACKEND_UNAVAILABLE, "package_manager.backend is none"))
        .completion().await(5, TimeUnit.SECONDS);

    JsonObject reboot = rebootRequired(vertx);

    assertThat(reboot.getValue("newest_installed_kernel")).isNull();
    assertThat(reboot.getBoolean("required")).isFalse();
  }

  @Test
  @DisplayName("A busy PackageVerticle that never answers delays system info by the 2 s timeout, not longer")
  void busyPackageVerticle(Vertx vertx) throws Exception {
    vertx.eventBus().<Object>localConsumer(Addresses.PACKAGES_KERNELS, message -> { })
        .completion().await(5, TimeUnit.SECONDS);

    long started = System.nanoTime();
    JsonObject reboot = rebootRequired(vertx);
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(reboot.getValue("newest_installed_kernel")).isNull();
    assertThat(tookMs).isBetween(SystemVerticle.KERNELS_TIMEOUT_MS - 100, 8_000L);
  }

  @Test
  @DisplayName("The reboot health check is published healthy at start and on resync, with required and reasons")
  void healthCheck(Vertx vertx) throws Exception {
    fakeKernels(vertx, NEWER);
    LocalCodec.register(vertx.eventBus(), HealthCheck.class);
    BlockingQueue<HealthCheck> reboots = new LinkedBlockingQueue<>();
    vertx.eventBus().<HealthCheck>localConsumer(Addresses.HEALTH_CHECK, message -> {
      if (message.body().name().equals("reboot")) {
        reboots.add(message.body());
      }
    }).completion().await(5, TimeUnit.SECONDS);

    host.deploy(vertx).await(30, TimeUnit.SECONDS);
    HealthCheck atStart = reboots.poll(10, TimeUnit.SECONDS);
    vertx.eventBus().publish(Addresses.HEALTH_RESYNC, null);
    // The periodic publication comes only after 60 s: one within seconds is the resync's.
    HealthCheck onResync = reboots.poll(10, TimeUnit.SECONDS);

    JsonObject expected = new JsonObject().put("required", true)
        .put("reasons", List.of("newer kernel installed: " + NEWER + " (running " + running + ")"));
    for (HealthCheck check : new HealthCheck[] {atStart, onResync}) {
      assertThat(check).isNotNull();
      assertThat(check.status()).isEqualTo(HealthStatus.HEALTHY);
      assertThat(check.details()).isEqualTo(expected);
    }
  }
}
