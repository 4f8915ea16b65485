package io.linuxpatch.packages.backend.apt.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("One package's details carry everything of endpoint 3, files only on request")
class InventoryDetailsTest {

  private Inventory inventory;

  @BeforeEach
  void setUp(@TempDir Path root) throws IOException {
    inventory = InventoryFixture.create(root).inventory();
  }

  @Test
  @DisplayName("an installed package shows its full description, dates, dependencies and reverse dependencies")
  void installedPackage() throws IOException {
    JsonObject curl = inventory.details("curl", false).orElseThrow();

    assertThat(curl.getString("version")).isEqualTo("7.88.1-10+deb12u5");
    assertThat(curl.getString("status")).isEqualTo("installed");
    assertThat(curl.getString("status_abbrev")).isEqualTo("ii");
    assertThat(curl.getString("description"))
        .isEqualTo("command line tool for transferring data\nIt supports many protocols.");
    assertThat(curl.getLong("size_bytes")).isEqualTo(500 * 1024);
    assertThat(curl.getString("installed_at")).isEqualTo("2025-03-04T05:06:07Z");
    assertThat(curl.getBoolean("upgradable")).isTrue();
    assertThat(curl.getString("available_version")).isEqualTo("7.88.1-10+deb12u8");
    assertThat(curl.getJsonArray("dependencies")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("name", "libc6").put("constraint", ">= 2.34"))
        .add(new JsonObject().put("name", "libcurl4").put("constraint", "= 7.88.1-10+deb12u5")));
    // downloader names curl's virtual package http-client, not curl itself.
    assertThat(curl.getJsonArray("reverse_dependencies")).containsExactly("downloader");
    assertThat(curl.getString("maintainer")).isEqualTo("Curl Maintainers <curl@example.org>");
    assertThat(curl.getString("homepage")).isEqualTo("https://curl.se/");
    assertThat(curl.getString("source_package")).isEqualTo("curl");
    assertThat(curl.containsKey("files")).isFalse();
  }

  @Test
  @DisplayName("reverse dependencies collect every package on disk that names it")
  void reverseDependencies() throws IOException {
    assertThat(inventory.details("libc6", false).orElseThrow().getJsonArray("reverse_dependencies"))
        .containsExactly("curl", "libcurl4", "wget");
    assertThat(inventory.details("wget", false).orElseThrow().getJsonArray("reverse_dependencies"))
        .containsExactly("downloader");
    assertThat(inventory.details("libcurl4", false).orElseThrow().getString("source_package")).isEqualTo("curl");
  }

  @Test
  @DisplayName("alternatives are kept next to the preferred dependency")
  void alternatives() throws IOException {
    JsonObject dependency = inventory.details("downloader", false).orElseThrow()
        .getJsonArray("dependencies").getJsonObject(0);

    assertThat(dependency.getString("name")).isEqualTo("http-client");
    assertThat(dependency.getString("constraint")).isNull();
    assertThat(dependency.getJsonArray("alternatives").getJsonObject(0).getString("name")).isEqualTo("wget");
  }

  @Test
  @DisplayName("files come from info/<name>.list or info/<name>:<arch>.list, only when asked")
  void files() throws IOException {
    assertThat(inventory.details("curl", true).orElseThrow().getJsonArray("files"))
        .containsExactly("/.", "/usr", "/usr/bin", "/usr/bin/curl");
    assertThat(inventory.details("libmulti:i386", true).orElseThrow().getJsonArray("files"))
        .containsExactly("/.", "/usr/lib/i386-linux-gnu/libmulti.so.1");
    JsonObject wget = inventory.details("wget", true).orElseThrow();
    assertThat(wget.getJsonArray("files")).isEmpty();
    assertThat(wget.getString("installed_at")).isNull();
    assertThat(wget.getBoolean("hold")).isTrue();
  }

  @Test
  @DisplayName("a package only the lists know has details; an unknown one has none")
  void availableAndUnknown() throws IOException {
    JsonObject nano = inventory.details("nano", true).orElseThrow();
    assertThat(nano.getString("status")).isEqualTo("available");
    assertThat(nano.getString("available_version")).isEqualTo("7.2-1");
    assertThat(nano.getString("installed_at")).isNull();
    assertThat(nano.getJsonArray("files")).isEmpty();

    assertThat(inventory.details("no-such-package", true)).isEmpty();
    assertThat(inventory.details("curl:i386", false)).isEmpty();
    assertThat(inventory.find("libmulti")).map(DpkgPackage::qualifiedName).contains("libmulti:i386");
  }
}
