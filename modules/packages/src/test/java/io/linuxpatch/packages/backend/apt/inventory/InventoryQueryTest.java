package io.linuxpatch.packages.backend.apt.inventory;

import io.linuxpatch.packages.listing.PackageQuery;
import io.linuxpatch.packages.listing.NameGlob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.linuxpatch.packages.listing.PackageQuery.Order;
import io.linuxpatch.packages.listing.PackageQuery.Sort;
import io.linuxpatch.packages.listing.PackageQuery.Status;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Package listings filter, sort and page the inventory in memory")
class InventoryQueryTest {

  private Inventory inventory;

  @BeforeEach
  void setUp(@TempDir Path root) throws IOException {
    inventory = InventoryFixture.create(root).inventory();
    assertThat(inventory.problems()).isEmpty();
  }

  private List<String> names(PackageQuery query) {
    return inventory.list(query).getJsonArray("packages").stream()
        .map(row -> ((JsonObject) row).getString("name"))
        .toList();
  }

  @Test
  @DisplayName("the default lists installed packages (ii and hi) by name, first page of 100")
  void defaultListing() {
    JsonObject page = inventory.list(PackageQuery.defaults());

    assertThat(names(PackageQuery.defaults()))
        .containsExactly("curl", "downloader", "libc6", "libcurl4", "libmulti", "tzdata", "wget");
    assertThat(page.getInteger("total")).isEqualTo(7);
    assertThat(page.getInteger("limit")).isEqualTo(100);
    assertThat(page.getInteger("offset")).isZero();
  }

  @Test
  @DisplayName("each status filter selects its packages, and upgradable=true narrows any of them")
  void statusFilters() {
    PackageQuery query = PackageQuery.defaults();
    assertThat(names(query.withStatus(Status.UPGRADABLE))).containsExactly("curl", "tzdata");
    assertThat(names(query.withStatus(Status.CONFIG_FILES))).containsExactly("old-tool");
    assertThat(names(query.withStatus(Status.AVAILABLE))).containsExactly("nano", "old-tool");
    assertThat(names(query.withStatus(Status.ALL))).containsExactly(
        "curl", "downloader", "libc6", "libcurl4", "libmulti", "nano", "old-tool", "tzdata", "wget");
    assertThat(names(query.withStatus(Status.ALL).withUpgradableOnly(true))).containsExactly("curl", "tzdata");
    assertThat(names(query.withStatus(Status.CONFIG_FILES).withUpgradableOnly(true))).isEmpty();
  }

  @Test
  @DisplayName("a row carries the listing fields, with the newest version and its suite")
  void rowFields() {
    JsonObject curl = inventory.list(PackageQuery.defaults().withName("curl")).getJsonArray("packages").getJsonObject(0);

    assertThat(curl.getMap()).containsOnlyKeys("name", "version", "architecture", "status", "size_bytes",
        "description", "upgradable", "available_version", "source");
    assertThat(curl.getString("version")).isEqualTo("7.88.1-10+deb12u5");
    assertThat(curl.getString("architecture")).isEqualTo("amd64");
    assertThat(curl.getString("status")).isEqualTo("installed");
    assertThat(curl.getLong("size_bytes")).isEqualTo(500 * 1024);
    assertThat(curl.getString("description")).isEqualTo("command line tool for transferring data");
    assertThat(curl.getBoolean("upgradable")).isTrue();
    assertThat(curl.getString("available_version")).isEqualTo("7.88.1-10+deb12u8");
    assertThat(curl.getString("source")).isEqualTo("stable-security");

    JsonObject nano = inventory.list(PackageQuery.defaults().withStatus(Status.AVAILABLE).withName("nano"))
        .getJsonArray("packages").getJsonObject(0);
    assertThat(nano.getString("status")).isEqualTo("available");
    assertThat(nano.getString("version")).isNull();
    assertThat(nano.getString("available_version")).isEqualTo("7.2-1");
    assertThat(nano.getString("source")).isEqualTo("stable");
    assertThat(nano.getBoolean("upgradable")).isFalse();

    JsonObject libmulti = inventory.list(PackageQuery.defaults().withName("libmulti")).getJsonArray("packages")
        .getJsonObject(0);
    assertThat(libmulti.getString("available_version")).isNull();
    assertThat(libmulti.getString("source")).isNull();
  }

  @Test
  @DisplayName("the name glob matches with * only, other characters literally")
  void nameGlob() {
    PackageQuery all = PackageQuery.defaults().withStatus(Status.ALL);
    assertThat(names(all.withName("lib*"))).containsExactly("libc6", "libcurl4", "libmulti");
    assertThat(names(all.withName("*curl*"))).containsExactly("curl", "libcurl4");
    assertThat(names(all.withName("c*l"))).containsExactly("curl");
    assertThat(names(all.withName("*"))).hasSize(9);
    assertThat(names(all.withName("lib?6"))).isEmpty();
    assertThat(new NameGlob("g++*").matches("g++-12")).isTrue();
    assertThat(new NameGlob("a*b*c").matches("aXbYbZc")).isTrue();
    assertThat(new NameGlob("a*b*c").matches("aXbYbZ")).isFalse();
  }

  @Test
  @DisplayName("sorting by version and size works in both orders, ties falling back to the name")
  void sorting() {
    PackageQuery installed = PackageQuery.defaults();
    assertThat(names(installed.withSort(Sort.SIZE, Order.DESC)))
        .containsExactly("libc6", "tzdata", "wget", "libcurl4", "curl", "downloader", "libmulti");
    assertThat(names(installed.withSort(Sort.SIZE, Order.ASC)))
        .containsExactly("libmulti", "downloader", "curl", "libcurl4", "wget", "tzdata", "libc6");
    assertThat(names(installed.withSort(Sort.VERSION, Order.ASC)))
        .containsExactly("downloader", "libmulti", "wget", "libc6", "curl", "libcurl4", "tzdata");
    assertThat(names(installed.withSort(Sort.NAME, Order.DESC)))
        .containsExactly("wget", "tzdata", "libmulti", "libcurl4", "libc6", "downloader", "curl");
  }

  @Test
  @DisplayName("paging cuts the sorted result while total counts every match")
  void paging() {
    JsonObject page = inventory.list(PackageQuery.defaults().withPage(2, 2));
    assertThat(names(PackageQuery.defaults().withPage(2, 2))).containsExactly("libc6", "libcurl4");
    assertThat(page.getInteger("total")).isEqualTo(7);
    assertThat(page.getInteger("limit")).isEqualTo(2);
    assertThat(page.getInteger("offset")).isEqualTo(2);
    assertThat(inventory.list(PackageQuery.defaults().withPage(5, 100)).getJsonArray("packages")).isEmpty();
    assertThat(inventory.list(PackageQuery.defaults().withPage(5, 100)).getInteger("total")).isEqualTo(7);
    assertThatIllegalArgumentException().isThrownBy(() -> PackageQuery.defaults().withPage(1001, 0));
    assertThatIllegalArgumentException().isThrownBy(() -> PackageQuery.defaults().withPage(10, -1));
  }

  @Test
  @DisplayName("query-string values map onto the filter, sort and order enums")
  void wireValues() {
    assertThat(Status.fromWire("config-files")).contains(Status.CONFIG_FILES);
    assertThat(Status.fromWire("bogus")).isEmpty();
    assertThat(Sort.fromWire("size")).contains(Sort.SIZE);
    assertThat(Order.fromWire("desc")).contains(Order.DESC);
  }

  @Test
  @DisplayName("holds lists the packages marked hold")
  void holds() {
    assertThat(inventory.holds()).extracting(DpkgPackage::name).containsExactly("wget");
  }
}
