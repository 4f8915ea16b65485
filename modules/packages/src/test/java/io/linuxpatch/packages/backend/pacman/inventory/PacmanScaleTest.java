package io.linuxpatch.packages.backend.pacman.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.packages.backend.pacman.HostPacmanStateGuard;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Arch's real scale (15,000 available, 3,000 installed): the Java readers agree with real pacman on every package
 * and update, hold the databases compactly, and re-read only what changed. Times are logged, not asserted.
 */
@ExtendWith(HostPacmanStateGuard.class)
class PacmanScaleTest {

  private static final Logger LOG = LoggerFactory.getLogger(PacmanScaleTest.class);
  private static final ProcessRunner RUNNER = ProcessRunner.create();

  @TempDir
  static Path dir;
  static Path config;

  @BeforeAll
  static void generate() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/pacman")), "pacman is not installed (pacman-package-manager)");
    config = ScalePacmanDatabases.write(dir);
  }

  @Test
  @DisplayName("15,000 available and 3,000 installed packages read as pacman -Q, -Sl and -Qu list them")
  void agreesWithPacman() throws Exception {
    PacmanDatabases databases = new PacmanDatabases(ScalePacmanDatabases.dbPath(dir), List.of("core", "extra"));
    long started = System.nanoTime();
    PacmanInventory inventory = databases.current();
    long firstMillis = (System.nanoTime() - started) / 1_000_000;

    assertThat(inventory.problems()).isEmpty();
    assertThat(inventory.local().size()).isEqualTo(ScalePacmanDatabases.INSTALLED);
    assertThat(inventory.sync()).extracting(PacmanDatabase::size)
        .containsExactly(ScalePacmanDatabases.CORE, ScalePacmanDatabases.AVAILABLE - ScalePacmanDatabases.CORE);
    assertThat(inventory.local().packages()).extracting(p -> p.name() + " " + p.version())
        .containsExactlyElementsOf(pacman("-Q"));
    List<String> ours = new ArrayList<>();
    inventory.sync().forEach(db -> db.packages().forEach(p -> ours.add(p.database() + " " + p.name() + " " + p.version())));
    assertThat(ours).containsExactlyElementsOf(pacman("-Sl").stream().map(l -> l.replaceAll(" \\[installed.*", "")).toList());
    List<String> updates = inventory.updates(Set.of()).stream()
        .map(u -> u.name() + " " + u.installedVersion() + " -> " + u.availableVersion()).toList();
    assertThat(updates).hasSize(ScalePacmanDatabases.UPDATES).containsExactlyElementsOf(pacman("-Qu"));

    long syncBytes = inventory.sync().stream().mapToLong(PacmanDatabase::retainedBytes).sum();
    assertThat(syncBytes / ScalePacmanDatabases.AVAILABLE).as("bytes held per available package").isLessThan(600);
    LOG.info("pacman scale: first read of {} installed + {} available in {} ms; sync columns {} KiB, local {} KiB",
        inventory.local().size(), ScalePacmanDatabases.AVAILABLE, firstMillis, syncBytes / 1024,
        inventory.local().retainedBytes() / 1024);
  }

  @Test
  @Tag("PKG-2")
  @DisplayName("An unchanged DBPath is a few stats; a changed local database is re-read without the sync ones")
  void rereadsOnlyWhatChanged() throws Exception {
    PacmanDatabases databases = new PacmanDatabases(ScalePacmanDatabases.dbPath(dir), List.of("core", "extra"));
    PacmanInventory first = databases.current();

    long started = System.nanoTime();
    PacmanInventory unchanged = databases.current();
    long unchangedMicros = (System.nanoTime() - started) / 1_000;
    assertThat(unchanged).isSameAs(first);

    // what a transaction does to the stamps: local/ gains a directory
    Path local = ScalePacmanDatabases.dbPath(dir).resolve("local");
    Files.setLastModifiedTime(local, FileTime.from(Instant.now().plusSeconds(5)));
    started = System.nanoTime();
    PacmanInventory changed = databases.current();
    long localMillis = (System.nanoTime() - started) / 1_000_000;
    assertThat(changed).isNotSameAs(first);
    assertThat(changed.sync().get(1)).isSameAs(first.sync().get(1));
    assertThat(changed.local()).isNotSameAs(first.local());
    // warm: what a long-running agent pays after a job, and after a refresh of the big repository
    Files.setLastModifiedTime(local, FileTime.from(Instant.now().plusSeconds(10)));
    started = System.nanoTime();
    databases.current();
    long warmLocalMillis = (System.nanoTime() - started) / 1_000_000;
    Path extra = ScalePacmanDatabases.dbPath(dir).resolve("sync/extra.db");
    Files.setLastModifiedTime(extra, FileTime.from(Instant.now().plusSeconds(10)));
    started = System.nanoTime();
    PacmanInventory refreshed = databases.current();
    long warmSyncMillis = (System.nanoTime() - started) / 1_000_000;
    assertThat(refreshed.sync().get(1)).isNotSameAs(first.sync().get(1));
    assertThat(refreshed.sync().get(0)).isSameAs(first.sync().get(0));
    LOG.info("pacman scale: unchanged check {} µs; re-read of the {} installed packages {} ms (warm {} ms); "
        + "re-read of extra ({} packages) warm {} ms", unchangedMicros, changed.local().size(), localMillis,
        warmLocalMillis, refreshed.sync().get(1).size(), warmSyncMillis);
  }

  private static List<String> pacman(String option) {
    ProcessResult result = RUNNER.run(ProcessSpec.of(List.of("/usr/bin/pacman", "--config", config.toString(), option))
        .withOutputLimit(16 * 1024 * 1024));
    assertThat(result.stderr().text()).isEmpty();
    return result.stdout().lines();
  }
}
