package io.linuxpatch.packages.backend.dnf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.backend.Transaction;
import io.linuxpatch.packages.backend.dnf.inventory.DnfInventory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Requested changes as dnf arguments: validated names after {@code --}, versions as exact NEVRAs. */
class DnfTransactionsTest {

  private final DnfInventory demo = TestInventories.demo();

  private static JsonObject change(String operation, JsonObject... refs) {
    return new JsonObject().put("operation", operation).put("packages", new JsonArray(List.of((Object[]) refs)));
  }

  private static JsonObject ref(String name) {
    return new JsonObject().put("name", name);
  }

  private List<String> step(JsonObject change) {
    Transaction transaction = DnfTransactions.of(change, demo);
    assertThat(transaction.steps()).hasSize(1);
    return transaction.steps().get(0);
  }

  @Test
  @DisplayName("an install may erase a conflicting package (planned like apt's); names follow --")
  void install() {
    assertThat(step(change("install", ref("demo-app"), ref("demo-modern"))))
        .containsExactly("--allowerasing", "install", "--", "demo-app", "demo-modern");
    assertThat(step(change("install", ref("demo-app")).put("options", new JsonObject().put("no_recommends", true))))
        .containsExactly("--setopt=install_weak_deps=False", "--allowerasing", "install", "--", "demo-app");
    assertThat(step(change("install", ref("demo-tool")).put("options", new JsonObject().put("reinstall", true))))
        .containsExactly("reinstall", "--", "demo-tool");
  }

  @Test
  @DisplayName("a version is the exact NEVRA offered; older than installed needs allow_downgrade; unoffered is 404")
  void versions() {
    assertThat(step(change("install", ref("demo-tool").put("version", "1.1-1"))))
        .containsExactly("--allowerasing", "install", "--", "demo-tool-0:1.1-1.noarch");
    DnfInventory upgraded = new TestInventories().installed("demo-tool", "1.1-1").offered("demo-tool", "1.0-1")
        .offered("demo-tool", "1.1-1").build();
    JsonObject older = change("install", ref("demo-tool").put("version", "1.0-1"));
    assertThatThrownBy(() -> DnfTransactions.of(older, upgraded)).isInstanceOfSatisfying(BackendRefusal.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    older.put("options", new JsonObject().put("allow_downgrade", true));
    assertThat(DnfTransactions.of(older, upgraded).steps().get(0)).containsExactly("--allowerasing", "install", "--",
        "demo-tool-0:1.0-1.noarch");
    assertThatThrownBy(() -> DnfTransactions.of(change("install", ref("demo-tool").put("version", "7.0")), demo))
        .isInstanceOfSatisfying(BackendRefusal.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PKG_VERSION_NOT_FOUND));
  }

  @Test
  @DisplayName("update upgrades an installed package, or installs the named version (a downgrade if older)")
  void update() {
    assertThat(step(change("update", ref("demo-tool")))).containsExactly("upgrade", "--", "demo-tool");
    assertThat(step(change("update", ref("demo-tool").put("version", "1.1"))))
        .containsExactly("install", "--", "demo-tool-0:1.1-1.noarch");
    assertThatThrownBy(() -> DnfTransactions.of(change("update", ref("demo-app")), demo))
        .isInstanceOfSatisfying(BackendRefusal.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PKG_NOT_FOUND));
  }

  @Test
  @DisplayName("remove and purge are the same erase of an installed package; a patch run upgrades exactly its names")
  void removeAndPatches() {
    assertThat(step(change("remove", ref("demo-base")))).containsExactly("remove", "--", "demo-base");
    assertThat(step(change("remove", ref("demo-base")).put("purge", true))).containsExactly("remove", "--", "demo-base");
    assertThatThrownBy(() -> DnfTransactions.of(change("remove", ref("demo-lib")), demo))
        .isInstanceOfSatisfying(BackendRefusal.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PKG_NOT_FOUND));
    assertThat(DnfTransactions.upgrade(List.of("demo-ssl", "demo-tool"), demo).steps())
        .containsExactly(List.of("upgrade", "--", "demo-ssl", "demo-tool"));
  }

  @Test
  @DisplayName("a selector or an unknown name never becomes an argument")
  void refusals() {
    assertThatThrownBy(() -> DnfTransactions.of(change("install", ref("demo-tool-1.1-1")), demo))
        .isInstanceOfSatisfying(BackendRefusal.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    assertThatThrownBy(() -> DnfTransactions.of(change("install", ref("webserver")), demo))
        .isInstanceOfSatisfying(BackendRefusal.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PKG_NOT_FOUND));
    assertThatThrownBy(() -> DnfTransactions.of(change("install"), demo))
        .isInstanceOfSatisfying(BackendRefusal.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
  }
}
