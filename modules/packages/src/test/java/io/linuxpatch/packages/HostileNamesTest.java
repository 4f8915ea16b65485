package io.linuxpatch.packages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ServiceFailure;
import io.linuxpatch.packages.backend.apt.sandbox.DemoSandbox;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SEC-9 at the backend: every hostile name is refused 400 INVALID_REQUEST and no child process is started
 * for it — the runner handed to PackageVerticle counts every process it would start.
 */
@Tag("SEC-9")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileNamesTest {

  @TempDir
  static Path dir;
  Vertx vertx;
  final CountingProcessRunner counting = new CountingProcessRunner();

  @BeforeAll
  void deploy() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/apt-get")), "apt-get is not installed");
    DemoSandbox sandbox = DemoSandbox.create(dir.resolve("sandbox"));
    JsonObject config = new JsonObject().put("package_manager", new JsonObject()
        .put("backend", "apt")
        .put("root", sandbox.root().toString())
        .put("env", new JsonObject(new java.util.HashMap<>(sandbox.aptEnvironment())))
        .put("options", new JsonArray(sandbox.dpkgOptions())));
    vertx = Vertx.vertx();
    vertx.deployVerticle(new PackageVerticle(counting),
        new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setConfig(config)).await(30, TimeUnit.SECONDS);
    // The verticle counts its packages right after start, on its own ordered worker context (with processes of
    // its own); one refused request queued behind that count makes every later "before" reading stable.
    refusal(Addresses.PACKAGES_GET, new JsonObject().put("name", "-drain"));
  }

  @AfterAll
  void close() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private ReplyException refusal(String address, JsonObject body) {
    try {
      vertx.eventBus().request(address, body).await(30, TimeUnit.SECONDS);
    } catch (ReplyException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("accepted: " + body);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-oAPT::Update::Pre-Invoke::=touch /tmp/x", "--purge", "demo-tool-", "demo-tool+",
      "demo-tool=1.0", "demo-tool/stable", "demo-tool:amd64", "demo-*", "?installed", "demo tool", "demo\u0000tool",
      "", "a"})
  @DisplayName("a hostile package name is refused 400 for details, install, update and remove plans, and no process starts")
  void hostile(String name) {
    int before = counting.started.get();
    JsonObject ref = new JsonObject().put("name", name);
    for (JsonObject change : List.of(
        new JsonObject().put("operation", "install").put("packages", new JsonArray().add(ref)),
        new JsonObject().put("operation", "update").put("packages", new JsonArray().add(ref)),
        new JsonObject().put("operation", "remove").put("packages", new JsonArray().add(ref)))) {
      ReplyException e = refusal(Addresses.PACKAGES_PLAN, change);
      assertThat(e.failureCode()).as(change.encode()).isEqualTo(400);
      assertThat(ServiceFailure.codeOf(e).name()).isEqualTo("INVALID_REQUEST");
    }
    assertThat(refusal(Addresses.PACKAGES_GET, new JsonObject().put("name", name)).failureCode()).isEqualTo(400);
    assertThat(counting.started.get()).as("processes started for %s", name).isEqualTo(before);
  }

  @org.junit.jupiter.api.Test
  @DisplayName("a 300-character name is refused 400 without a process")
  void tooLong() {
    String name = "x".repeat(300);
    int before = counting.started.get();
    assertThat(refusal(Addresses.PACKAGES_PLAN, new JsonObject().put("operation", "install")
        .put("packages", new JsonArray().add(new JsonObject().put("name", name)))).failureCode()).isEqualTo(400);
    assertThat(counting.started.get()).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.0 ; rm", "-1", "=1.0", "1.0/stable"})
  @DisplayName("a hostile version is refused 400 without a process")
  void hostileVersion(String version) {
    int before = counting.started.get();
    assertThat(refusal(Addresses.PACKAGES_PLAN, new JsonObject().put("operation", "install")
        .put("packages", new JsonArray().add(new JsonObject().put("name", "demo-tool").put("version", version))))
        .failureCode()).isEqualTo(400);
    assertThat(counting.started.get()).isEqualTo(before);
  }
}
