package io.linuxpatch.packages.backend.apt.inventory;

import io.linuxpatch.packages.listing.PackageQuery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("PKG-2")
@DisplayName("The inventory cache re-reads only when dpkg's status or apt's lists change on disk")
class InventoryCacheTest {

  @Test
  @DisplayName("nothing changed: the very same snapshot object comes back")
  void sameSnapshot(@TempDir Path root) throws IOException {
    InventoryFixture fixture = InventoryFixture.create(root);
    InventoryCache cache = new InventoryCache(fixture.adminDir(), fixture.listsDir());

    Inventory first = cache.current();

    assertThat(cache.current()).isSameAs(first);
    assertThat(cache.current()).isSameAs(first);
  }

  @Test
  @DisplayName("a rewritten status file gives a new snapshot with the new content, then stays cached")
  void statusRewritten(@TempDir Path root) throws IOException {
    InventoryFixture fixture = InventoryFixture.create(root);
    InventoryCache cache = new InventoryCache(fixture.adminDir(), fixture.listsDir());
    Inventory before = cache.current();

    // dpkg writes status-new and renames it over status: new inode, new size, new time.
    Path replacement = fixture.adminDir().resolve("status-new");
    Files.writeString(replacement, InventoryFixture.STATUS
        + "\nPackage: added\nStatus: install ok installed\nArchitecture: all\nVersion: 1\n");
    Files.move(replacement, fixture.adminDir().resolve("status"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Inventory after = cache.current();

    assertThat(after).isNotSameAs(before);
    assertThat(after.find("added")).isPresent();
    assertThat(before.find("added")).isEmpty();
    assertThat(cache.current()).isSameAs(after);
  }

  @Test
  @DisplayName("an in-place rewrite of the same size is noticed through the modification time")
  void sameSizeRewrite(@TempDir Path root) throws IOException {
    InventoryFixture fixture = InventoryFixture.create(root);
    InventoryCache cache = new InventoryCache(fixture.adminDir(), fixture.listsDir());
    Path status = fixture.adminDir().resolve("status");
    Files.setLastModifiedTime(status, FileTime.from(Instant.parse("2025-01-01T00:00:00Z")));
    Inventory before = cache.current();

    Files.writeString(status, InventoryFixture.STATUS.replace("hold ok installed", "install ok installed"));
    Files.setLastModifiedTime(status, FileTime.from(Instant.parse("2025-01-01T00:00:01Z")));

    Inventory after = cache.current();
    assertThat(after).isNotSameAs(before);
    assertThat(before.holds()).hasSize(1);
    assertThat(after.holds()).isEmpty();
  }

  @Test
  @DisplayName("a new or changed index in the lists directory gives a new snapshot")
  void listsChanged(@TempDir Path root) throws IOException {
    InventoryFixture fixture = InventoryFixture.create(root);
    InventoryCache cache = new InventoryCache(fixture.adminDir(), fixture.listsDir());
    Inventory before = cache.current();

    Files.writeString(fixture.listsDir().resolve("deb.debian.org_debian_dists_bookworm_contrib_binary-amd64_Packages"),
        "Package: contrib-tool\nVersion: 1.0\nArchitecture: amd64\n");
    Inventory after = cache.current();

    assertThat(after).isNotSameAs(before);
    assertThat(after.details("contrib-tool", false)).isPresent();
    Files.writeString(fixture.listsDir().resolve("lock"), "unrelated");
    assertThat(cache.current()).isSameAs(after);
  }

  @Test
  @DisplayName("an install rewrites only the status file: the lists are not read again, a replaced index alone is")
  void onlyChangedFilesAreRead(@TempDir Path root) throws IOException {
    InventoryFixture fixture = InventoryFixture.create(root);
    Path contrib = fixture.listsDir().resolve("deb.debian.org_debian_dists_bookworm_contrib_binary-amd64_Packages");
    Files.writeString(contrib, "Package: contrib-tool\nVersion: 1.0\nArchitecture: amd64\n");
    InventoryCache cache = new InventoryCache(fixture.adminDir(), fixture.listsDir());
    Inventory first = cache.current();
    AvailablePackage curl = first.lists().newest("curl").orElseThrow();
    AvailablePackage tool = first.lists().newest("contrib-tool").orElseThrow();

    Path replacement = fixture.adminDir().resolve("status-new");
    Files.writeString(replacement, InventoryFixture.STATUS
        + "\nPackage: added\nStatus: install ok installed\nArchitecture: all\nVersion: 1\n");
    Files.move(replacement, fixture.adminDir().resolve("status"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Inventory afterInstall = cache.current();

    assertThat(afterInstall.find("added")).isPresent();
    assertThat(afterInstall.lists().newest("curl").orElseThrow().sameRowAs(curl)).isTrue();
    assertThat(afterInstall.lists().newest("contrib-tool").orElseThrow().sameRowAs(tool)).isTrue();

    Path newContrib = contrib.resolveSibling("contrib.new");
    Files.writeString(newContrib, "Package: contrib-tool\nVersion: 2.0\nArchitecture: amd64\n");
    Files.move(newContrib, contrib, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Inventory afterUpdate = cache.current();

    assertThat(afterUpdate.lists().newest("contrib-tool").orElseThrow().versionText()).isEqualTo("2.0");
    assertThat(afterUpdate.lists().newest("contrib-tool").orElseThrow().sameRowAs(tool)).isFalse();
    assertThat(afterUpdate.lists().newest("curl").orElseThrow().sameRowAs(curl)).isTrue();
  }

  @Test
  @DisplayName("without a status file the cache fails loudly; without lists it lists installed packages only")
  void missingSources(@TempDir Path root) throws IOException {
    InventoryFixture fixture = InventoryFixture.create(root);
    assertThatExceptionOfType(NoSuchFileException.class)
        .isThrownBy(() -> new InventoryCache(root.resolve("nowhere"), fixture.listsDir()).current());

    Inventory noLists = new InventoryCache(fixture.adminDir(), root.resolve("no-lists")).current();
    assertThat(noLists.list(PackageQuery.defaults()).getInteger("total")).isEqualTo(7);
    assertThat(noLists.list(PackageQuery.defaults().withStatus(PackageQuery.Status.UPGRADABLE))
        .getInteger("total")).isZero();
  }

  @Test
  @DisplayName("a 3,000-package status file is served from memory after the first read")
  void threeThousandPackages(@TempDir Path root) throws IOException {
    Path adminDir = Files.createDirectories(root.resolve("dpkg"));
    Files.writeString(adminDir.resolve("status"), LargeStatusFileTest.statusFile(LargeStatusFileTest.PACKAGES));
    InventoryCache cache = new InventoryCache(adminDir, root.resolve("lists"));

    Inventory inventory = cache.current();

    assertThat(inventory.list(PackageQuery.defaults()).getInteger("total")).isEqualTo(3_000);
    assertThat(inventory.list(PackageQuery.defaults().withName("pkg299*")).getInteger("total")).isEqualTo(11);
    assertThat(inventory.details("pkg41", false).orElseThrow().getJsonArray("reverse_dependencies"))
        .containsExactly("pkg40");
    assertThat(inventory.holds()).hasSize(30);
    assertThat(cache.current()).isSameAs(inventory);
  }
}
