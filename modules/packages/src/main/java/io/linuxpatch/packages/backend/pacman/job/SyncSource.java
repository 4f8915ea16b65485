package io.linuxpatch.packages.backend.pacman.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

/**
 * Which sync databases the agent reads and plans with: pacman's own ({@code DBPath/sync}, the ones the installed
 * system was last upgraded against) or those of the last detached refresh ({@link DetachedRefresh}, endpoint 16),
 * when that refresh holds newer ones. pacman keeps a server's modification time on each {@code REPO.db} it
 * downloads, so the times compare the mirror's publication times: the refresh's databases are used when at least
 * one of them is newer than pacman's and none is older or missing. After the upgrade that follows (one
 * {@code pacman -Syu}), pacman's own databases are as new again and are used once more; a refresh older than a later
 * {@code pacman -Syu} run by hand is ignored.
 */
public final class SyncSource {

  private final Path dbPath;
  private final Path refreshDbPath;
  private final List<String> repositories;

  /**
   * @param dbPath        pacman's DBPath
   * @param refreshDbPath the detached refresh's DBPath
   * @param repositories  the sync repositories in pacman.conf's order
   */
  public SyncSource(Path dbPath, Path refreshDbPath, List<String> repositories) {
    this.dbPath = dbPath;
    this.refreshDbPath = refreshDbPath;
    this.repositories = List.copyOf(repositories);
  }

  /** pacman's DBPath, or the refresh's when it holds newer databases. Blocking: a few stats. */
  public Path current() {
    return refreshed() ? refreshDbPath : dbPath;
  }

  /** Whether the refresh's databases are newer than pacman's: a sync transaction must then refresh too (-Syu). */
  public boolean refreshed() {
    if (repositories.isEmpty()) {
      return false;
    }
    boolean newer = false;
    for (String repository : repositories) {
      FileTime mine = modified(dbPath, repository);
      FileTime refreshed = modified(refreshDbPath, repository);
      if (refreshed == null) {
        return false;
      }
      if (mine == null || refreshed.compareTo(mine) > 0) {
        newer = true;
      } else if (refreshed.compareTo(mine) < 0) {
        return false;
      }
    }
    return newer;
  }

  private static FileTime modified(Path db, String repository) {
    try {
      return Files.getLastModifiedTime(db.resolve("sync").resolve(repository + ".db"));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return null;
    }
  }
}
