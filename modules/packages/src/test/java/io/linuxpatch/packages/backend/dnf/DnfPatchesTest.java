package io.linuxpatch.packages.backend.dnf;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.packages.Severity;
import io.linuxpatch.packages.backend.dnf.advisory.CheckUpdate;
import io.linuxpatch.packages.backend.dnf.advisory.DnfAdvisory;
import io.linuxpatch.packages.backend.dnf.inventory.DnfInventory;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Updates classified by their advisories: ids, security only for security advisories, severity, CVEs, reason. */
class DnfPatchesTest {

  private static CheckUpdate.Update update(String name, String evr) {
    return new CheckUpdate.Update(name, "noarch", evr, "updates");
  }

  @Test
  @DisplayName("one patch per advisory over all its updates; an update without advisory is name/evr, unknown, not security")
  void grouping() {
    DnfInventory inventory = new TestInventories().installed("openssl", "3.0-1").installed("openssl-libs", "3.0-1")
        .installed("demo-tool", "1.0-1").build();
    CheckUpdate updates = new CheckUpdate(true, List.of(update("openssl", "3.0-2"), update("openssl-libs", "3.0-2"),
        update("demo-tool", "1.1-1")), List.of());
    DnfAdvisory rhsa = new DnfAdvisory("RHSA-2026:0001", "security", "Important", Severity.HIGH,
        List.of("CVE-2026-1"), List.of("openssl-3.0-2.noarch", "openssl-libs-3.0-2.noarch"));

    List<JsonObject> patches = DnfPatches.patches(updates, List.of(rhsa), inventory);

    assertThat(patches).hasSize(2);
    JsonObject security = patches.get(0);
    assertThat(security.getString("id")).isEqualTo("RHSA-2026:0001");
    assertThat(security.getBoolean("security")).isTrue();
    assertThat(security.getString("severity")).isEqualTo("high");
    assertThat(security.getJsonArray("cve_ids")).containsExactly("CVE-2026-1");
    assertThat(security.getJsonArray("packages")).hasSize(2);
    assertThat(security.getJsonArray("packages").getJsonObject(0).getString("current_version")).isEqualTo("3.0-1");
    assertThat(security.getJsonObject("classification").getString("reason")).contains("RHSA-2026:0001");
    assertThat(security.getJsonObject("classification").getString("severity_source")).isEqualTo("dnf updateinfo");
    JsonObject plain = patches.get(1);
    assertThat(plain.getString("id")).isEqualTo("demo-tool/1.1-1");
    assertThat(plain.getBoolean("security")).isFalse();
    assertThat(plain.getString("severity")).isEqualTo("unknown");
    assertThat(plain.getJsonArray("cve_ids")).isEmpty();
  }

  @Test
  @DisplayName("an advisory fixed at or below the candidate and above the installed version applies; a bugfix is not security")
  void matching() {
    DnfInventory inventory = new TestInventories().installed("demo-ssl", "1.0-1").installed("demo-tool", "1.0-1").build();
    CheckUpdate updates = new CheckUpdate(true, List.of(update("demo-ssl", "1.2-1"), update("demo-tool", "1.1-1")),
        List.of());
    DnfAdvisory older = new DnfAdvisory("SEC-1", "security", "Critical", Severity.CRITICAL, List.of("CVE-1"),
        List.of("demo-ssl-1.1-1.noarch"));
    DnfAdvisory alreadyInstalled = new DnfAdvisory("SEC-0", "security", "Low", Severity.LOW, List.of("CVE-0"),
        List.of("demo-ssl-1.0-1.noarch"));
    DnfAdvisory future = new DnfAdvisory("SEC-2", "security", "Low", Severity.LOW, List.of("CVE-2"),
        List.of("demo-ssl-1.3-1.noarch"));
    DnfAdvisory moderate = new DnfAdvisory("SEC-3", "security", "Moderate", Severity.MEDIUM, List.of("CVE-3"),
        List.of("demo-ssl-1.2-1.noarch"));
    DnfAdvisory bugfix = new DnfAdvisory("BUG-1", "bugfix", null, Severity.UNKNOWN, List.of(),
        List.of("demo-tool-1.1-1.noarch"));

    List<JsonObject> patches = DnfPatches.patches(updates, List.of(older, alreadyInstalled, future, moderate, bugfix),
        inventory);

    JsonObject ssl = patches.get(0);
    assertThat(ssl.getString("id")).isEqualTo("SEC-1");
    assertThat(ssl.getString("severity")).isEqualTo("critical");
    assertThat(ssl.getJsonArray("cve_ids")).containsExactly("CVE-1", "CVE-3");
    JsonObject tool = patches.get(1);
    assertThat(tool.getString("id")).isEqualTo("BUG-1");
    assertThat(tool.getBoolean("security")).isFalse();
    assertThat(tool.getString("severity")).isEqualTo("unknown");
    assertThat(tool.getJsonObject("classification").getString("reason")).contains("BUG-1").contains("bugfix");
  }
}
