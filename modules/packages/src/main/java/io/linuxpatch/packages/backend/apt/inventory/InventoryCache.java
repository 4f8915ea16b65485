package io.linuxpatch.packages.backend.apt.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the latest {@link Inventory} and rebuilds it only when dpkg's status file or apt's lists change
 * on disk (mtime, size, inode): the caching half of PKG-2, so that a listing costs a few stats instead of
 * a parse or a child process. Only what changed is read again: the status file after a job, the replaced
 * indices after {@code apt-get update}. Blocking (stats, and on change a parse): call it from a worker.
 */
public final class InventoryCache {

  private static final Logger LOG = LoggerFactory.getLogger(InventoryCache.class);

  private final Path dpkgAdminDir;
  private final Path statusFile;
  private final Path listsDir;
  private final DpkgStatusParser statusParser = new DpkgStatusParser();
  private final AptListsParser listsParser = new AptListsParser();

  private SourceStamps stamps;
  private Inventory inventory;
  private ParsedStatusFile status;
  private String statusReadAt;

  /**
   * @param dpkgAdminDir dpkg's admin directory, {@code <root>/var/lib/dpkg}
   * @param listsDir     apt's lists directory, {@code <root>/var/lib/apt/lists}
   */
  public InventoryCache(Path dpkgAdminDir, Path listsDir) {
    this.dpkgAdminDir = dpkgAdminDir;
    this.statusFile = dpkgAdminDir.resolve("status");
    this.listsDir = listsDir;
  }

  /**
   * The snapshot for the files as they are now: the same object as last time when none changed.
   * Synchronized so that two workers asking at once parse once.
   *
   * @throws IOException when the status file cannot be read (the lists are optional)
   */
  public synchronized Inventory current() throws IOException {
    // Stamp before reading: a change during the read then differs from the stamp kept, and the next call
    // reads again. Stamping after could pair the new stamp with old content for good.
    SourceStamps now = SourceStamps.of(statusFile, listsDir);
    if (inventory != null && now.equals(stamps)) {
      return inventory;
    }
    long started = System.nanoTime();
    String statusStamp = now.entries().get(0);
    if (status == null || !statusStamp.equals(statusReadAt)) {
      status = statusParser.parse(statusFile.getFileName().toString(), Files.readAllBytes(statusFile));
      statusReadAt = statusStamp;
    }
    // Re-reads only the indices whose files changed (an install changes the status file, not the lists).
    AptLists lists = listsParser.parse(listsDir);
    Inventory fresh = Inventory.of(dpkgAdminDir, status, lists);
    if (!fresh.problems().isEmpty()) {
      LOG.warn("Package inventory read with {} problem(s) (those stanzas are left out of listings); first: {}",
          fresh.problems().size(), fresh.problems().get(0));
    }
    LOG.debug("Package inventory rebuilt: {} packages, {} rows, in {} ms", status.packages().size(), fresh.size(),
        (System.nanoTime() - started) / 1_000_000);
    stamps = now;
    inventory = fresh;
    return fresh;
  }
}
