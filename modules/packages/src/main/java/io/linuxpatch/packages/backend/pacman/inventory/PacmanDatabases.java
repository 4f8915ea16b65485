package io.linuxpatch.packages.backend.pacman.inventory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the latest {@link PacmanInventory} of one DBPath and re-reads a database only when its files change on
 * disk: the caching half of PKG-2, so that a listing costs a few stats instead of a parse or a child process.
 *
 * <p>The stamps, found by experiment on pacman 6.0 (see the pacman notes): a transaction adds and removes
 * {@code local/NAME-VERSION} directories, which changes the modification time of {@code local/}; changing only
 * an install reason ({@code pacman -D --asdeps}) rewrites a {@code desc} file in place and leaves {@code local/}
 * alone — but every writing pacman run creates and removes {@code DBPath/db.lck}, which changes DBPath's own
 * modification time. So the local database is re-read when DBPath's or {@code local/}'s time (or inode)
 * changes; {@code -Q}, {@code -Qu} and {@code --print} change neither. {@code pacman -Sy} replaces
 * {@code sync/REPO.db} (new inode) and keeps the server's time, so each sync database is stamped by time, size
 * and inode and re-read on its own; a refresh also touches DBPath (its lock), which costs one needless re-read of
 * the local database per refresh — the price of catching reason changes with two stats.
 *
 * <p>Blocking (stats, and on change a read): call it from a worker. Synchronized, so two callers at once read
 * once.
 */
public final class PacmanDatabases {

  private static final Logger LOG = LoggerFactory.getLogger(PacmanDatabases.class);

  private final Path dbPath;
  private final Supplier<Path> syncDbPath;
  private final List<String> repositories;
  private final LocalDatabaseReader localReader = new LocalDatabaseReader();
  private final SyncDatabaseReader syncReader = new SyncDatabaseReader();

  private String localStamp;
  private PacmanDatabase local;
  private final Map<String, String> syncStamps = new HashMap<>();
  private final Map<String, PacmanDatabase> syncRead = new HashMap<>();
  private PacmanInventory inventory;

  /**
   * @param dbPath       pacman's DBPath, e.g. {@code /var/lib/pacman}
   * @param repositories the sync repositories in pacman.conf's order ({@code pacman-conf --repo-list}); empty
   *                     means every {@code sync/*.db} in name order (for a DBPath whose configuration is unknown)
   */
  public PacmanDatabases(Path dbPath, List<String> repositories) {
    this(dbPath, () -> dbPath, repositories);
  }

  /**
   * Installed packages from {@code dbPath}, sync repositories from the DBPath {@code syncDbPath} names at each
   * read: pacman's own DBPath, or the separate DBPath of a detached refresh
   * ({@link io.linuxpatch.packages.backend.pacman.job.DetachedRefresh}) once that holds newer databases. A change of
   * the supplied path re-reads the sync databases from there.
   */
  public PacmanDatabases(Path dbPath, Supplier<Path> syncDbPath, List<String> repositories) {
    this.dbPath = Objects.requireNonNull(dbPath, "dbPath");
    this.syncDbPath = Objects.requireNonNull(syncDbPath, "syncDbPath");
    this.repositories = List.copyOf(repositories);
  }

  /**
   * The snapshot for the files as they are now: the same object as last time when none changed.
   *
   * @throws IOException when DBPath cannot be stat'ed or a database cannot be opened
   */
  public synchronized PacmanInventory current() throws IOException {
    // stamp before reading: a change during the read then differs from the stamp kept, and the next call reads
    // again; stamping after could pair the new stamp with old content for good
    String newLocalStamp = stamp(dbPath) + " | " + stampOrAbsent(dbPath.resolve(LocalDatabaseReader.LOCAL));
    Path syncDb = syncDbPath.get();
    List<String> names = repositories.isEmpty() ? syncFilesByName(syncDb) : repositories;
    Map<String, String> newSyncStamps = new HashMap<>();
    for (String name : names) {
      newSyncStamps.put(name, syncDb + " " + stampOrAbsent(syncFile(syncDb, name)));
    }
    String stamps = stamps(newLocalStamp, names, newSyncStamps);
    if (inventory != null && inventory.stamps().equals(stamps)) {
      return inventory;
    }
    long started = System.nanoTime();
    if (local == null || !newLocalStamp.equals(localStamp)) {
      local = localReader.read(dbPath);
      localStamp = newLocalStamp;
    }
    List<PacmanDatabase> sync = new ArrayList<>();
    for (String name : names) {
      String stamp = newSyncStamps.get(name);
      PacmanDatabase read = syncRead.get(name);
      if (read == null || !stamp.equals(syncStamps.get(name))) {
        read = stamp.endsWith(" absent")
            ? PacmanDatabase.empty(name, List.of(new DatabaseProblem("sync/" + name + ".db",
                "absent: the repository has not been synchronised (pacman -Sy)")))
            : syncReader.read(syncFile(syncDb, name), name);
        syncRead.put(name, read);
        syncStamps.put(name, stamp);
      }
      sync.add(read);
    }
    syncRead.keySet().retainAll(names);
    syncStamps.keySet().retainAll(names);
    PacmanInventory fresh = new PacmanInventory(local, sync, stamps);
    if (!fresh.problems().isEmpty()) {
      LOG.warn("pacman databases read with {} problem(s) (those entries are left out of listings); first: {}",
          fresh.problems().size(), fresh.problems().get(0));
    }
    LOG.debug("pacman databases read: {} installed, {} repositories, in {} ms", local.size(), sync.size(),
        (System.nanoTime() - started) / 1_000_000);
    inventory = fresh;
    return fresh;
  }

  private static Path syncFile(Path syncDb, String repository) {
    return syncDb.resolve("sync").resolve(repository + ".db");
  }

  private static List<String> syncFilesByName(Path syncDb) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(syncDb.resolve("sync"), "*.db")) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        names.add(name.substring(0, name.length() - ".db".length()));
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    names.sort(null);
    return names;
  }

  private static String stamps(String localStamp, List<String> names, Map<String, String> syncStamps) {
    StringBuilder text = new StringBuilder("local ").append(localStamp);
    for (String name : names) {
      text.append('\n').append(name).append(' ').append(syncStamps.get(name));
    }
    return text.toString();
  }

  private static String stampOrAbsent(Path path) throws IOException {
    try {
      return stamp(path);
    } catch (NoSuchFileException e) {
      return "absent";
    }
  }

  private static String stamp(Path path) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
    return attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS) + " " + attributes.size() + " "
        + attributes.fileKey();
  }
}
