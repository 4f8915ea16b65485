package io.linuxpatch.packages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.ServiceFailure;
import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.contract.jobs.JobOutcome;
import io.linuxpatch.contract.jobs.JobStatus;
import io.linuxpatch.packages.backend.PackageBackend;
import io.linuxpatch.packages.backend.dnf.DnfTools;
import io.linuxpatch.packages.backend.dnf.sandbox.DnfSandbox;
import io.linuxpatch.packages.backend.pacman.PacmanAssumptions;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanSandbox;
import io.linuxpatch.process.ProcessRunner;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packages side of the job contract that is the same for every backend: the typed outcome of
 * {@code lpa.packages.execute} and the backend's recovery budget ({@code lpa.packages.recovery_budget}).
 */
class JobContractRequestTest {

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void deploy(JsonObject packageManager, Duration killGrace) throws Exception {
    vertx.deployVerticle(new PackageVerticle(ProcessRunner.create(), killGrace),
        new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
            .setConfig(new JsonObject().put("package_manager", packageManager)))
        .await(30, TimeUnit.SECONDS);
  }

  @Test
  @Tag("JOB-5")
  @DisplayName("the apt backend's recovery budget covers dpkg's check and repair and the kill grace, and is asked on the bus")
  void aptRecoveryBudget(@TempDir Path root) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/apt-get")) && Files.isExecutable(Path.of("/usr/bin/dpkg")),
        "apt-get and dpkg are not installed");
    Files.createDirectories(root.resolve("var/lib/dpkg"));
    Files.writeString(root.resolve("var/lib/dpkg/status"), "");
    deploy(new JsonObject().put("backend", "apt").put("root", root.toString())
        .put("env", new JsonObject().put("APT_CONFIG", root.resolve("apt.conf").toString())), Duration.ofSeconds(7));

    long seconds = recoverySeconds();

    // dpkg --configure -a (30 min) between two audits (2 min each), 2 min to read back, and the kill grace.
    assertThat(seconds).isEqualTo(36 * 60 + 7);
  }

  @Test
  @Tag("JOB-5")
  @DisplayName("the dnf backend's recovery budget covers rpm's rebuild, the removal of duplicates, their checks and the kill grace")
  void dnfRecoveryBudget(@TempDir Path dir) throws Exception {
    DnfTools.assumeDnfSandboxTools();
    DnfSandbox sandbox = DnfSandbox.create(dir);
    deploySandbox("dnf", sandbox.root(), sandbox.environment(), sandbox.dnfOptions());

    long seconds = recoverySeconds();

    // four checks (5 min each), rpm --rebuilddb and dnf remove --duplicates (30 min each), 2 min, the kill grace.
    assertThat(seconds).isEqualTo(82 * 60 + 7);
  }

  @Test
  @Tag("JOB-5")
  @DisplayName("the pacman backend's recovery budget is one pacman -Dk, the read-back margin and the kill grace")
  void pacmanRecoveryBudget(@TempDir Path dir) throws Exception {
    PacmanAssumptions.assumeSandboxPossible();
    PacmanSandbox sandbox = PacmanSandbox.createDemo(dir);
    deploySandbox("pacman", sandbox.root(), sandbox.environment(), sandbox.pacmanOptions());

    long seconds = recoverySeconds();

    // pacman leaves nothing half configured: pacman -Dk (5 min), 2 min to read back, and the kill grace.
    assertThat(seconds).isEqualTo(7 * 60 + 7);
  }

  /** {@code backend} on a sandbox's root, with its environment and options, and a kill grace of 7 s. */
  private void deploySandbox(String backend, Path root, Map<String, String> env, List<String> options)
      throws Exception {
    deploy(new JsonObject().put("backend", backend).put("root", root.toString())
        .put("env", new JsonObject(new HashMap<>(env))).put("options", new JsonArray(options)), Duration.ofSeconds(7));
  }

  /** What the deployed backend answers on {@code lpa.packages.recovery_budget}. */
  private long recoverySeconds() throws Exception {
    return vertx.eventBus().<JsonObject>request(Addresses.PACKAGES_RECOVERY_BUDGET, null)
        .await(10, TimeUnit.SECONDS).body().getLong("recovery_seconds");
  }

  @Test
  @DisplayName("a backend that names no budget gets the generous default")
  void defaultBudget() {
    assertThat(PackageBackend.DEFAULT_RECOVERY_BUDGET).isGreaterThanOrEqualTo(Duration.ofMinutes(30));
  }

  @Test
  @Tag("JOB-3")
  @DisplayName("without a backend a job's outcome is a typed failure with the health check's reason; the budget is 503")
  void noBackend() throws Exception {
    deploy(new JsonObject().put("backend", "none"), Duration.ofSeconds(10));

    Object reply = vertx.eventBus().request(Addresses.PACKAGES_EXECUTE, new JsonObject().put("job_id", "j")
        .put("operation", "install")).await(10, TimeUnit.SECONDS).body();
    ReplyException budget = catchThrowableOfType(ReplyException.class, () -> vertx.eventBus()
        .request(Addresses.PACKAGES_RECOVERY_BUDGET, null).await(10, TimeUnit.SECONDS));

    assertThat(reply).isInstanceOf(JobOutcome.class);
    JobOutcome outcome = (JobOutcome) reply;
    assertThat(outcome.status()).isEqualTo(JobStatus.FAILED);
    assertThat(outcome.error()).isEqualTo(JobError.PKG_MANAGER_ERROR);
    assertThat(outcome.errorText()).contains("none");
    assertThat(ServiceFailure.codeOf(budget)).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
  }
}
