package io.linuxpatch.packages.backend.dnf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.backend.Transaction;
import io.linuxpatch.packages.backend.dnf.inventory.DnfInventory;
import io.linuxpatch.packages.backend.dnf.job.DnfRollback;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inverse of a job's changes (JOB-8): old versions by NEVRA or cached .rpm, checked before anything runs. */
@Tag("JOB-8")
class DnfRollbackTest {

  @TempDir
  Path cache;

  private static JsonObject change(String name, String action, String from, String to) {
    return new JsonObject().put("name", name).put("action", action).put("from_version", from).put("to_version", to);
  }

  @Test
  @DisplayName("installed packages are removed, upgraded ones come back at their old NEVRA: install first, then remove")
  void inverse() throws Exception {
    DnfInventory after = new TestInventories().installed("demo-tool", "1.1-1").installed("demo-app", "2.0-1")
        .installed("demo-lib", "2.0-1").offered("demo-tool", "1.0-1").offered("demo-tool", "1.1-1")
        .offered("demo-app", "2.0-1").offered("demo-lib", "2.0-1").build();
    Transaction inverse = DnfRollback.of(new JsonArray(List.of(change("demo-app", "install", null, "2.0-1"),
        change("demo-lib", "install", null, "2.0-1"), change("demo-tool", "upgrade", "1.0-1", "1.1-1"))), after, cache);
    assertThat(inverse.steps()).containsExactly(
        List.of("--allowerasing", "install", "--", "demo-tool-0:1.0-1.noarch"),
        List.of("remove", "--", "demo-app", "demo-lib"));
  }

  @Test
  @DisplayName("a version no repository offers any more comes from dnf's package cache by absolute path")
  void cachedPackage() throws Exception {
    Path cached = Files.createDirectories(cache.resolve("updates-1a2b3c/packages")).resolve("demo-old-1.0-1.x86_64.rpm");
    Files.writeString(cached, "rpm");
    DnfInventory after = new TestInventories().installed("demo-old", "2.0-1", "x86_64")
        .offered("demo-old", "2.0-1", "x86_64").build();
    Transaction inverse = DnfRollback.of(new JsonArray(List.of(change("demo-old", "upgrade", "1.0-1", "2.0-1"))),
        after, cache);
    assertThat(inverse.steps()).containsExactly(List.of("--allowerasing", "install", "--", cached.toString()));
  }

  @Test
  @DisplayName("an old version neither offered nor cached refuses the whole rollback with PKG_VERSION_NOT_FOUND")
  void unobtainable() {
    DnfInventory after = new TestInventories().installed("demo-tool", "1.1-1").installed("demo-ssl", "1.1-1")
        .offered("demo-tool", "1.1-1").offered("demo-ssl", "1.0-1").offered("demo-ssl", "1.1-1").build();
    JsonArray changes = new JsonArray(List.of(change("demo-ssl", "upgrade", "1.0-1", "1.1-1"),
        change("demo-tool", "upgrade", "1.0-1", "1.1-1")));
    assertThatThrownBy(() -> DnfRollback.of(changes, after, cache)).isInstanceOfSatisfying(BackendRefusal.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.PKG_VERSION_NOT_FOUND);
      assertThat(e.details().getJsonArray("packages")).containsExactly("demo-tool 1.0-1");
    });
  }

  @Test
  @DisplayName("a package a later job changed again is PLAN_STALE; a removed package comes back at its version")
  void drift() throws Exception {
    DnfInventory now = new TestInventories().installed("demo-tool", "1.0-1").offered("demo-tool", "1.0-1")
        .offered("demo-tool", "1.1-1").offered("demo-base", "1.0-1").build();
    assertThatThrownBy(() -> DnfRollback.of(new JsonArray(List.of(change("demo-tool", "upgrade", "1.0-1", "1.1-1"))),
        now, cache)).isInstanceOfSatisfying(BackendRefusal.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PLAN_STALE));
    assertThat(DnfRollback.of(new JsonArray(List.of(change("demo-base", "remove", "1.0-1", null))), now, cache).steps())
        .containsExactly(List.of("--allowerasing", "install", "--", "demo-base-0:1.0-1.noarch"));
  }
}
