package io.linuxpatch.packages;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ServiceFailure;
import io.linuxpatch.packages.backend.dnf.DnfTools;
import io.linuxpatch.packages.backend.dnf.HostRpmStateGuard;
import io.linuxpatch.packages.backend.dnf.sandbox.DnfSandbox;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SEC-9 at the dnf backend: every hostile name — options, globs, provides, paths, apt operators, module streams,
 * groups, package files, and NEVRA-looking words that select a version of a real package — is refused 400
 * INVALID_REQUEST, an unknown plain name 404, and no child process is started for any of them: the runner handed to
 * PackageVerticle counts every process it would start.
 */
@Tag("SEC-9")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(HostRpmStateGuard.class)
class DnfHostileNamesTest {

  @TempDir
  static Path dir;
  Vertx vertx;
  final CountingProcessRunner counting = new CountingProcessRunner();

  @BeforeAll
  void deploy() throws Exception {
    DnfTools.assumeDnfSandboxTools();
    DnfSandbox sandbox = DnfSandbox.create(dir);
    JsonObject config = new JsonObject().put("package_manager", new JsonObject()
        .put("backend", "dnf")
        .put("root", sandbox.root().toString())
        .put("env", new JsonObject(new java.util.HashMap<>(sandbox.environment())))
        .put("options", new JsonArray(sandbox.dnfOptions())));
    vertx = Vertx.vertx();
    vertx.deployVerticle(new PackageVerticle(counting),
        new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setConfig(config)).await(60, TimeUnit.SECONDS);
    // Right after start the verticle reads its inventory and computes the patches for its meters (rpm and dnf
    // runs of its own). A details request waits for the inventory, a patch listing for the patches (computed once
    // per package state): after both, nothing here starts a process unless a request makes it.
    refusal(Addresses.PACKAGES_GET, new JsonObject().put("name", "-drain"));
    vertx.eventBus().request(Addresses.PACKAGES_PATCHES, new JsonObject()).await(120, TimeUnit.SECONDS);
  }

  @AfterAll
  void close() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private ReplyException refusal(String address, JsonObject body) {
    try {
      vertx.eventBus().request(address, body).await(60, TimeUnit.SECONDS);
    } catch (ReplyException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("accepted: " + body);
  }

  private static JsonObject change(String operation, String name) {
    return new JsonObject().put("operation", operation)
        .put("packages", new JsonArray().add(new JsonObject().put("name", name)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-y", "--installroot=/", "--setopt=tsflags=noscripts", "demo-tool-", "demo*", "demo-?",
      "demo[a-z]", "perl(Foo)", "/bin/sh", "../etc", "demo tool", "demo-tool=1.0", "demo-tool>=1", "demo-tool:1.0",
      "@core", "demo\u0000tool", "", "demo-tool.rpm", "demo-tool+",
      // NEVRA-looking words that are no package name but select a version or architecture of one
      "demo-tool-1.1-1", "demo-tool-1.1", "demo-tool-1.1-1.noarch", "demo-tool.noarch", "demo-app-2.0-1",
      "demo-ssl-0:1.1-1.noarch"})
  @DisplayName("a hostile name is refused 400 for details, install, update and remove plans, and no process starts")
  void hostile(String name) {
    int before = counting.started.get();
    for (String operation : List.of("install", "update", "remove")) {
      ReplyException e = refusal(Addresses.PACKAGES_PLAN, change(operation, name));
      assertThat(e.failureCode()).as(operation + " " + name + ": " + e.getMessage()).isEqualTo(400);
      assertThat(ServiceFailure.codeOf(e).name()).isEqualTo("INVALID_REQUEST");
    }
    assertThat(refusal(Addresses.PACKAGES_GET, new JsonObject().put("name", name)).failureCode()).isEqualTo(400);
    assertThat(refusal(Addresses.PACKAGES_HOLD, new JsonObject().put("name", name).put("hold", true)).failureCode())
        .isEqualTo(400);
    assertThat(counting.started.get()).as("processes started for %s", name).isEqualTo(before);
  }

  @Test
  @DisplayName("a plain name no package has (a provide, say) is 404 PKG_NOT_FOUND without a process")
  void unknownName() {
    int before = counting.started.get();
    for (String operation : List.of("install", "update", "remove")) {
      ReplyException e = refusal(Addresses.PACKAGES_PLAN, change(operation, "webserver"));
      assertThat(e.failureCode()).as(operation).isEqualTo(404);
      assertThat(ServiceFailure.codeOf(e).name()).isEqualTo("PKG_NOT_FOUND");
    }
    assertThat(counting.started.get()).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.0 ; rm", "-1", "=1.0", "1.0/stable", "1.0-1.noarch*"})
  @DisplayName("a hostile version is refused 400 without a process")
  void hostileVersion(String version) {
    int before = counting.started.get();
    assertThat(refusal(Addresses.PACKAGES_PLAN, new JsonObject().put("operation", "install")
        .put("packages", new JsonArray().add(new JsonObject().put("name", "demo-tool").put("version", version))))
        .failureCode()).isEqualTo(400);
    assertThat(counting.started.get()).isEqualTo(before);
  }
}
