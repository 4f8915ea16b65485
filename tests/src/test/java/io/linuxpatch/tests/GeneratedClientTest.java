package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.linuxpatch.client.ApiClient;
import io.linuxpatch.client.ApiException;
import io.linuxpatch.client.ApiResponse;
import io.linuxpatch.client.api.HealthApi;
import io.linuxpatch.client.api.JobsApi;
import io.linuxpatch.client.api.PackagesApi;
import io.linuxpatch.client.model.ErrorCode;
import io.linuxpatch.client.model.ErrorEnvelope;
import io.linuxpatch.client.model.HealthEnvelope;
import io.linuxpatch.client.model.HealthStatus;
import io.linuxpatch.client.model.InstallRequest;
import io.linuxpatch.client.model.Job;
import io.linuxpatch.client.model.JobAcceptedEnvelope;
import io.linuxpatch.client.model.JobOperation;
import io.linuxpatch.client.model.JobStatus;
import io.linuxpatch.client.model.PackageChange;
import io.linuxpatch.client.model.PackageRef;
import io.linuxpatch.client.model.PlanAction;
import io.linuxpatch.client.model.PlanEnvelope;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * API-9: the Java client generated at build time from the agent's OpenAPI document (modules/client) drives a real
 * agent on the apt demo sandbox — health, a dry run, install, its job, a rollback — presenting the test's client
 * certificate, with every answer typed by the document's schemas.
 */
@Tag("API-9")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratedClientTest {

  @TempDir
  static Path dir;
  AgentUnderTest agent;
  ApiClient client;

  @BeforeAll
  void start() throws Exception {
    AgentUnderTest.assumeSandboxTools();
    agent = new AgentUnderTest(dir);
    agent.useDemoSandbox(AgentUnderTest.TEST_CLIENT_ADMIN);
    agent.start();
    client = new ApiClient()
        .setHttpClientBuilder(HttpClient.newBuilder().sslContext(agent.clientContext()))
        .setReadTimeout(Duration.ofSeconds(30));
    client.updateBaseUri("https://localhost:" + agent.port);
  }

  @AfterAll
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private Job job(UUID id) throws ApiException {
    return new JobsApi(client).getJob(id).getData();
  }

  private Job finished(UUID id) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> job(id).getStatus() != JobStatus.PENDING && job(id).getStatus() != JobStatus.RUNNING);
    try {
      return job(id);
    } catch (ApiException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> names(List<PackageChange> changes) {
    return changes.stream().map(PackageChange::getName).toList();
  }

  @Test
  @DisplayName("install → job → rollback through the generated client: typed plan, 202 with Location, typed jobs, the package gone again")
  void installJobRollback() throws Exception {
    HealthEnvelope health = new HealthApi(client).getHealth();
    assertThat(health.getSuccess()).isTrue();
    assertThat(health.getError()).as("the envelope's error is null in a success").isNull();
    assertThat(health.getData().getStatus()).isIn(HealthStatus.HEALTHY, HealthStatus.DEGRADED);
    assertThat(health.getData().getChecks()).containsKey("package_manager");

    PackagesApi packages = new PackagesApi(client);
    InstallRequest demoApp = new InstallRequest().addPackagesItem(new PackageRef().name("demo-app"));
    PlanEnvelope plan = packages.installPackages(demoApp, true, null);
    assertThat(plan.getData().getPlanId()).matches("[0-9a-f]{64}");
    assertThat(plan.getData().getOperation()).isEqualTo(JobOperation.INSTALL);
    assertThat(plan.getData().getInstall()).extracting(PlanAction::getName).contains("demo-app", "demo-lib");

    // The generated Java method is typed by the operation's first success (the dry run's 200): a job's 202 is
    // read through its Location (JOB-1), the job itself through getJob.
    ApiResponse<PlanEnvelope> accepted = packages.installPackagesWithHttpInfo(demoApp.planId(plan.getData().getPlanId()),
        false, "generated-client-install");
    assertThat(accepted.getStatusCode()).isEqualTo(202);
    String location = accepted.getHeaders().get("location").get(0);
    UUID installId = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
    Job installed = finished(installId);
    assertThat(installed.getStatus()).as(installed.toString()).isEqualTo(JobStatus.COMPLETED);
    assertThat(installed.getOperation()).isEqualTo(JobOperation.INSTALL);
    assertThat(names(installed.getChanges())).containsExactlyInAnyOrder("demo-app", "demo-lib");
    assertThat(installed.getRequestedBy().getCn()).isEqualTo("test-client");
    assertThat(packages.getPackage("demo-app", false).getData().getStatus()).isEqualTo("installed");

    // {} rather than null: the generated client would send a JSON null for an omitted body, which API-4 refuses.
    JobAcceptedEnvelope rollback = new JobsApi(client).rollbackJob(installId, "generated-client-rollback",
        java.util.Map.of());
    assertThat(rollback.getData().getStatus()).isEqualTo(JobStatus.PENDING);
    assertThat(rollback.getData().getOperation()).isEqualTo(JobOperation.ROLLBACK);
    assertThat(rollback.getData().getRollbackOf()).isEqualTo(installId);
    Job rolledBack = finished(rollback.getData().getJobId());
    assertThat(rolledBack.getStatus()).as(rolledBack.toString()).isEqualTo(JobStatus.COMPLETED);
    assertThat(names(rolledBack.getChanges())).containsExactlyInAnyOrder("demo-app", "demo-lib");
    assertThat(job(installId).getRolledBackBy()).isEqualTo(rollback.getData().getJobId());
    assertThat(packages.getPackage("demo-app", false).getData().getStatus()).isEqualTo("available");
  }

  @Test
  @DisplayName("a refusal reaches the generated client as ApiException whose body is the typed ErrorEnvelope")
  void refusalTyped() throws Exception {
    ApiException refused = catchThrowableOfType(ApiException.class,
        () -> new PackagesApi(client).getPackage("no-such-package", false));
    assertThat(refused.getCode()).isEqualTo(404);
    ErrorEnvelope envelope = client.getObjectMapper().readValue(refused.getResponseBody(), ErrorEnvelope.class);
    assertThat(envelope.getSuccess()).isFalse();
    assertThat(envelope.getData()).isNull();
    assertThat(envelope.getError().getCode()).isEqualTo(ErrorCode.PKG_NOT_FOUND);
  }
}
