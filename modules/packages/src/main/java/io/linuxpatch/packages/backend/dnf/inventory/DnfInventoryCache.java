package io.linuxpatch.packages.backend.dnf.inventory;

import io.linuxpatch.packages.backend.dnf.DnfCommands;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the latest {@link DnfInventory} and reads a half of it again only when its files changed on disk
 * ({@link DnfStamps}): the rpm database after a transaction (one {@code rpm -qa}), the cached repository metadata
 * after a refresh or a changed {@code .repo} file (one cache-only {@code dnf repoquery}, streamed into the
 * {@link AvailableCatalogue}). So a listing costs a few stats, never a child process per package (PKG-2). Blocking:
 * call it from a worker; synchronized, so that two workers asking at once read once.
 *
 * <p>The repositories are read cache-only ({@link AvailableRpmQuery}): before the first {@code dnf makecache} there
 * is no cache and the catalogue is empty (the installed packages are still listed), with a warning that says so.
 */
public final class DnfInventoryCache {

  private static final Logger LOG = LoggerFactory.getLogger(DnfInventoryCache.class);
  private static final Duration RPM_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration REPOQUERY_TIMEOUT = Duration.ofMinutes(10);
  /** rpm -qa of a large host is a few MiB; all of it is needed, so the bound is generous and checked. */
  private static final int RPM_OUTPUT_LIMIT = 128 * 1024 * 1024;

  private final DnfCommands commands;
  private final ProcessRunner runner;
  private List<String> installedStamps;
  private List<String> availableStamps;
  private InstalledRpmQuery.Result installedResult;
  private AvailableCatalogue catalogue;
  private List<RecordProblem> catalogueProblems = List.of();
  private DnfInventory inventory;

  public DnfInventoryCache(DnfCommands commands, ProcessRunner runner) {
    this.commands = commands;
    this.runner = runner;
  }

  /**
   * The snapshot for the files as they are now: the same object as last time when none changed.
   *
   * @throws IOException when the rpm database cannot be read
   */
  public synchronized DnfInventory current() throws IOException {
    // Stamp before reading: a change during the read then differs from the stamp kept, and the next call reads
    // again. Stamping after could pair the new stamp with old content for good.
    List<String> installedNow = installedStamps();
    List<String> availableNow = availableStamps(commands);
    if (inventory != null && installedNow.equals(installedStamps) && availableNow.equals(availableStamps)) {
      return inventory;
    }
    long started = System.nanoTime();
    if (installedResult == null || !installedNow.equals(installedStamps)) {
      installedResult = readInstalled();
    }
    if (catalogue == null || !availableNow.equals(availableStamps)) {
      readCatalogue();
    }
    List<RecordProblem> problems = new ArrayList<>(installedResult.problems());
    problems.addAll(catalogueProblems);
    DnfInventory fresh = new DnfInventory(installedResult.packages(), catalogue, problems);
    if (!problems.isEmpty()) {
      LOG.warn("dnf inventory read with {} unreadable record(s), left out of listings; first: {}", problems.size(),
          problems.get(0));
    }
    LOG.debug("dnf inventory rebuilt: {} installed, {} versions offered, in {} ms", installedResult.packages().size(),
        catalogue.size(), (System.nanoTime() - started) / 1_000_000);
    installedStamps = installedNow;
    availableStamps = availableNow;
    inventory = fresh;
    return fresh;
  }

  /** The stamps of the rpm database (what {@link #current} compares). */
  public List<String> installedStamps() throws IOException {
    return DnfStamps.installed(commands.root()).entries();
  }

  /** The stamps of the cached repository metadata and the {@code .repo} files of every repository directory. */
  public static List<String> availableStamps(DnfCommands commands) throws IOException {
    List<String> entries = new ArrayList<>();
    for (Path dir : commands.reposDirectories()) {
      entries.addAll(DnfStamps.available(commands.root(), dir).entries());
    }
    return entries;
  }

  private InstalledRpmQuery.Result readInstalled() throws IOException {
    ProcessSpec spec = commands.spec(commands.rpm(InstalledRpmQuery.arguments()), RPM_TIMEOUT)
        .withOutputLimits(RPM_OUTPUT_LIMIT, ProcessSpec.DEFAULT_OUTPUT_LIMIT);
    ProcessResult result = runner.run(spec);
    if (!result.succeeded() || result.stdout().truncated()) {
      throw new IOException("rpm -qa failed (exit " + result.exitCode() + (result.timedOut() ? ", timed out" : "")
          + (result.stdout().truncated() ? ", output cut" : "") + "): " + result.stderr().text().strip());
    }
    return InstalledRpmQuery.parse(result.stdout().text());
  }

  private void readCatalogue() {
    AvailableCatalogue.Builder builder = AvailableCatalogue.builder();
    List<RecordProblem> problems = new ArrayList<>();
    AvailableRpmQuery.Reader reader = AvailableRpmQuery.reader(builder, problems::add);
    ProcessSpec spec = commands.spec(commands.dnf(AvailableRpmQuery.arguments()), REPOQUERY_TIMEOUT)
        .withOutputLimits(64 * 1024, ProcessSpec.DEFAULT_OUTPUT_LIMIT).withListener(reader);
    ProcessResult result = runner.run(spec);
    reader.finish();
    if (!result.succeeded()) {
      // Typically "Cache-only enabled but no cache for 'REPO'": nothing was refreshed yet. The installed packages
      // are still listed; installs of packages only a repository knows wait for a cache refresh.
      LOG.warn("dnf's cached repository metadata could not be read (exit {}): {}; run a cache refresh "
          + "(POST /api/v1/packages/cache, dnf makecache)", result.exitCode(), result.stderr().text().strip());
      catalogue = AvailableCatalogue.EMPTY;
      catalogueProblems = List.of();
      return;
    }
    catalogue = builder.build();
    catalogueProblems = List.copyOf(problems);
  }
}
