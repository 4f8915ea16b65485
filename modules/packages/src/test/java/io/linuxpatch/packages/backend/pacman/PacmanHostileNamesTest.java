package io.linuxpatch.packages.backend.pacman;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ServiceFailure;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
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
 * SEC-9 at the pacman backend: every hostile name is refused 400 INVALID_REQUEST — for details, plans of every
 * operation, holds and patch-run exclusions — and an unknown valid name 404 PKG_NOT_FOUND, with no child process
 * started for either: the runner handed to PackageVerticle counts every process it would start.
 */
@Tag("SEC-9")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(HostPacmanStateGuard.class)
class PacmanHostileNamesTest {

  @TempDir
  static Path dir;
  PacmanAgent agent;

  @BeforeAll
  void deploy() throws Exception {
    PacmanAssumptions.assumeSandboxPossible();
    agent = PacmanAgent.demo(dir);
  }

  @AfterAll
  void close() throws Exception {
    if (agent != null) {
      agent.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"--dbpath=/", "-Syu", "--config=/tmp/x", "demo-tool-", "demo-tool+", "demo-tool=1.0-1",
      "demo/demo-tool", "demo-tool:any", "demo-*", "demo?tool", "demo tool", "demo\u0000tool", "demo\ntool",
      "../etc/passwd", "demo-tool>=1", "demo-tool<2", "perl(Foo)", "demo,tool", "", "démo"})
  @DisplayName("a hostile name is 400 for details, install, update, remove, hold and patch-run exclusion, and no process starts")
  void hostile(String name) {
    int before = agent.started.get();
    JsonObject ref = new JsonObject().put("name", name);
    for (JsonObject change : List.of(
        new JsonObject().put("operation", "install").put("packages", new JsonArray().add(ref)),
        new JsonObject().put("operation", "update").put("packages", new JsonArray().add(ref)),
        new JsonObject().put("operation", "remove").put("packages", new JsonArray().add(ref)),
        new JsonObject().put("operation", "patch_apply").put("exclude_packages", new JsonArray().add(name)))) {
      ReplyException e = agent.refusal(Addresses.PACKAGES_PLAN, change);
      assertThat(e.failureCode()).as(change.encode()).isEqualTo(400);
      assertThat(ServiceFailure.codeOf(e).name()).isEqualTo("INVALID_REQUEST");
    }
    assertThat(agent.refusal(Addresses.PACKAGES_GET, new JsonObject().put("name", name)).failureCode()).isEqualTo(400);
    assertThat(agent.refusal(Addresses.PACKAGES_HOLD, new JsonObject().put("name", name).put("hold", true))
        .failureCode()).isEqualTo(400);
    assertThat(agent.started.get()).as("processes started for %s", name).isEqualTo(before);
  }

  @Test
  @DisplayName("a valid name no database knows is 404 PKG_NOT_FOUND for details, install, update and remove, without a process")
  void unknown() {
    int before = agent.started.get();
    JsonObject ref = new JsonObject().put("name", "demo-nosuch");
    for (String operation : List.of("install", "update", "remove")) {
      ReplyException e = agent.refusal(Addresses.PACKAGES_PLAN,
          new JsonObject().put("operation", operation).put("packages", new JsonArray().add(ref)));
      assertThat(e.failureCode()).as(operation).isEqualTo(404);
      assertThat(ServiceFailure.codeOf(e).name()).isEqualTo("PKG_NOT_FOUND");
    }
    assertThat(agent.refusal(Addresses.PACKAGES_GET, ref).failureCode()).isEqualTo(404);
    assertThat(agent.started.get()).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.0 ; rm", "-1", "=1.0-1", "1.0/demo", "1.0-1\n"})
  @DisplayName("a hostile version is 400 without a process")
  void hostileVersion(String version) {
    int before = agent.started.get();
    ReplyException e = agent.refusal(Addresses.PACKAGES_PLAN, new JsonObject().put("operation", "install")
        .put("packages", new JsonArray().add(new JsonObject().put("name", "demo-tool").put("version", version))));
    assertThat(e.failureCode()).isEqualTo(400);
    assertThat(agent.started.get()).isEqualTo(before);
  }

  @Test
  @DisplayName("a 300-character name is 400 without a process")
  void tooLong() {
    int before = agent.started.get();
    assertThat(agent.refusal(Addresses.PACKAGES_PLAN, new JsonObject().put("operation", "install")
        .put("packages", new JsonArray().add(new JsonObject().put("name", "x".repeat(300))))).failureCode())
        .isEqualTo(400);
    assertThat(agent.started.get()).isEqualTo(before);
  }

  @Test
  @DisplayName("a valid known name does start pacman's --print, with the name after --: the counter counts")
  void validNameReachesPacman() throws Exception {
    int before = agent.started.get();
    JsonObject plan = agent.request(Addresses.PACKAGES_PLAN, new JsonObject().put("operation", "install")
        .put("packages", new JsonArray().add(new JsonObject().put("name", "demo-app"))));
    assertThat(plan.getJsonArray("install").size()).isEqualTo(2);
    assertThat(agent.started.get()).isEqualTo(before + 1);
    List<String> argv = agent.argvs.get(agent.argvs.size() - 1);
    assertThat(argv.get(0)).isEqualTo("/usr/bin/pacman");
    assertThat(argv.subList(argv.indexOf("--"), argv.size())).containsExactly("--", "demo-app");
  }
}
