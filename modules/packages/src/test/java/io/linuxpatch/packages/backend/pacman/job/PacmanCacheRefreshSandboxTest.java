package io.linuxpatch.packages.backend.pacman.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.packages.backend.pacman.HostPacmanStateGuard;
import io.linuxpatch.packages.backend.pacman.PacmanAgent;
import io.linuxpatch.packages.backend.pacman.PacmanAssumptions;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanPackageBuilder;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanPackageSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache refresh on pacman (endpoint 16) never runs {@code pacman -Sy} alone on pacman's own databases: it refreshes
 * into {@code data_dir/pacman-sync}, after which patches and plans show the refreshed databases, and the transaction
 * that takes packages from them is one {@code pacman -Syu} — after which pacman's own databases are the newest again.
 */
@ExtendWith(HostPacmanStateGuard.class)
class PacmanCacheRefreshSandboxTest {

  @TempDir
  Path dir;
  PacmanAgent agent;

  @AfterEach
  void close() throws Exception {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  @DisplayName("refresh into a separate DBPath: pacman's sync database and log untouched, patches show the new version, the update is one -Syu")
  void detachedRefreshThenOneUpgrade() throws Exception {
    PacmanAssumptions.assumeSandboxPossible();
    agent = PacmanAgent.demo(dir);
    Path ownSync = agent.sandbox.dbPath().resolve("sync/demo.db");
    byte[] ownBefore = Files.readAllBytes(ownSync);
    String logBefore = Files.readString(agent.sandbox.logFile());

    // the mirror publishes demo-tool 1.2-1 (a later publication time than the databases pacman has)
    Path built = new PacmanPackageBuilder(dir.resolve("build"), PacmanAgent.RUNNER)
        .build(PacmanPackageSpec.of("demo-tool", "1.2-1", "demo command-line tool, a later release"), dir.resolve("out"));
    agent.sandbox.repository().add(List.of(built));
    Files.setLastModifiedTime(agent.sandbox.repository().databaseFile(),
        FileTime.from(Files.getLastModifiedTime(ownSync).toInstant().plusSeconds(60)));
    assertThat(versionOf(patches(), "demo-tool")).isEqualTo("1.1-1");

    JsonObject refresh = agent.execute("cache_refresh", new JsonObject());
    assertThat(refresh.getString("outcome")).as(refresh.encode()).isEqualTo("completed");
    Path refreshDb = agent.dataDir.resolve("pacman-sync");
    assertThat(agent.argvs.get(agent.argvs.size() - 1)).containsSubsequence("--dbpath", refreshDb.toString(),
        "--logfile", "-Sy");
    assertThat(Files.readAllBytes(ownSync)).as("pacman's own sync database").isEqualTo(ownBefore);
    assertThat(Files.readString(agent.sandbox.logFile())).as("pacman's log").isEqualTo(logBefore);
    assertThat(Files.readSymbolicLink(refreshDb.resolve("local"))).isEqualTo(agent.sandbox.dbPath().resolve("local"));

    JsonArray patches = patches();
    assertThat(versionOf(patches, "demo-tool")).isEqualTo("1.2-1");
    var qu = agent.sandbox.pacman("--dbpath", refreshDb.toString(), "-Qu");
    assertThat(qu.stdout().text()).contains("demo-tool 1.0-1 -> 1.2-1");

    // an install now is the whole upgrade in one transaction, and the plan says so
    JsonObject install = agent.request(Addresses.PACKAGES_PLAN, new JsonObject().put("operation", "install")
        .put("packages", new JsonArray().add(new JsonObject().put("name", "demo-app"))));
    assertThat(names(install.getJsonArray("install"))).containsOnlyKeys("demo-app", "demo-lib");
    assertThat(names(install.getJsonArray("upgrade"))).containsEntry("demo-tool", "1.2-1").containsEntry("demo-ssl", "1.1-1");
    List<String> print = agent.argvs.get(agent.argvs.size() - 1);
    assertThat(print).containsSubsequence("--dbpath", refreshDb.toString(), "-Su", "--print");

    JsonObject update = agent.execute("update", PacmanAgent.packages("demo-tool"));
    assertThat(update.getString("outcome")).as(update.encode()).isEqualTo("completed");
    assertThat(agent.argvs.stream().filter(argv -> argv.contains("-Syu") && !argv.contains("--print"))).hasSize(1);
    assertThat(agent.installedVersion("demo-tool")).isEqualTo("1.2-1");
    assertThat(agent.installedVersion("demo-ssl")).isEqualTo("1.1-1");
    assertThat(Files.readAllBytes(ownSync)).isEqualTo(Files.readAllBytes(refreshDb.resolve("sync/demo.db")));

    // pacman's own databases are the newest again: an install is a plain -S
    agent.request(Addresses.PACKAGES_PLAN, new JsonObject().put("operation", "install")
        .put("packages", new JsonArray().add(new JsonObject().put("name", "demo-app"))));
    assertThat(agent.argvs.get(agent.argvs.size() - 1)).doesNotContain("--dbpath").contains("-S");
    assertThat(patches()).isEmpty();
  }

  private JsonArray patches() throws Exception {
    return agent.request(Addresses.PACKAGES_PATCHES, new JsonObject().put("limit", 1000)).getJsonArray("patches");
  }

  private static String versionOf(JsonArray patches, String name) {
    for (Object p : patches) {
      JsonObject pkg = ((JsonObject) p).getJsonArray("packages").getJsonObject(0);
      if (pkg.getString("name").equals(name)) {
        return pkg.getString("available_version");
      }
    }
    return null;
  }

  private static Map<String, String> names(JsonArray actions) {
    Map<String, String> map = new TreeMap<>();
    actions.forEach(a -> map.put(((JsonObject) a).getString("name"), ((JsonObject) a).getString("to_version")));
    return map;
  }
}
