package io.linuxpatch.packages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.ServiceFailure;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PackageVerticle answers {@code lpa.packages.kernels} from the inventory of its configured root. */
class KernelsRequestTest {

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void deploy(JsonObject packageManager) throws Exception {
    vertx.deployVerticle(new PackageVerticle(),
        new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
            .setConfig(new JsonObject().put("package_manager", packageManager)))
        .await(30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("with the apt backend the reply lists the root's installed kernels and the newest, without running apt")
  void answersFromInventory(@TempDir Path root) throws Exception {
    // The backend only starts where apt and dpkg exist; the request itself reads the status file alone.
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/apt-get")) && Files.isExecutable(Path.of("/usr/bin/dpkg")),
        "apt-get and dpkg are not installed");
    Path admin = Files.createDirectories(root.resolve("var/lib/dpkg"));
    Files.writeString(admin.resolve("status"), """
        Package: linux-image-6.1.0-17-amd64
        Status: install ok installed
        Architecture: amd64
        Version: 6.1.69-1
        Description: Linux 6.1 for 64-bit PCs

        Package: linux-image-6.1.0-18-amd64
        Status: install ok installed
        Architecture: amd64
        Version: 6.1.76-1
        Description: Linux 6.1 for 64-bit PCs

        Package: linux-image-amd64
        Status: install ok installed
        Architecture: amd64
        Version: 6.1.76-1
        Description: Linux for 64-bit PCs (meta-package)
        """);
    deploy(new JsonObject().put("backend", "apt").put("root", root.toString())
        .put("env", new JsonObject().put("APT_CONFIG", root.resolve("apt.conf").toString())));

    JsonObject reply = vertx.eventBus().<JsonObject>request(Addresses.PACKAGES_KERNELS, null)
        .await(10, TimeUnit.SECONDS).body();

    assertThat(reply).isEqualTo(new JsonObject()
        .put("installed_kernels", List.of("6.1.0-17-amd64", "6.1.0-18-amd64"))
        .put("newest", "6.1.0-18-amd64"));
  }

  @Test
  @DisplayName("without a package backend the request fails 503 BACKEND_UNAVAILABLE")
  void noBackend() throws Exception {
    deploy(new JsonObject().put("backend", "none"));

    ReplyException failure = catchThrowableOfType(ReplyException.class, () -> vertx.eventBus()
        .request(Addresses.PACKAGES_KERNELS, null).await(10, TimeUnit.SECONDS));

    assertThat(failure).isNotNull();
    assertThat(failure.failureCode()).isEqualTo(503);
    assertThat(ServiceFailure.codeOf(failure)).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
  }

  @Test
  @DisplayName("a package root other than / without APT_CONFIG gets no backend: apt would read the host's configuration")
  void rootWithoutAptConfig(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("var/lib/dpkg"));
    Files.writeString(root.resolve("var/lib/dpkg/status"), "");
    deploy(new JsonObject().put("backend", "apt").put("root", root.toString()));

    ReplyException failure = catchThrowableOfType(ReplyException.class, () -> vertx.eventBus()
        .request(Addresses.PACKAGES_KERNELS, null).await(10, TimeUnit.SECONDS));

    assertThat(failure).isNotNull();
    assertThat(failure.failureCode()).isEqualTo(503);
    assertThat(ServiceFailure.messageOf(failure)).contains("APT_CONFIG");
  }
}
