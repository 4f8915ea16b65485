package io.linuxpatch.packages.backend.pacman.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A cache refresh that cannot cause a partial upgrade (Arch does not support {@code pacman -Sy} followed by
 * {@code -S pkg}): the sync databases are downloaded into a separate DBPath whose {@code local} is a symbolic link
 * to the real local database — the way Arch's own {@code checkupdates} works. The real {@code DBPath/sync} is left
 * exactly as it was, so later installs resolve against the databases the system was last upgraded with; reads
 * ({@code -Qu}, {@code --print}, the inventory) may use the refreshed copy to show what an upgrade would do, and
 * the upgrade itself is one transaction, {@code pacman -Syu}, that refreshes the real databases and upgrades
 * together. Checked on pacman 6.0: the refresh takes the lock of the separate DBPath only, writes nothing under
 * the real DBPath, and logs to the given log file instead of pacman's.
 */
public final class DetachedRefresh {

  private final Path realDbPath;
  private final Path refreshDbPath;
  private final Path logFile;

  /**
   * @param realDbPath    pacman's DBPath, e.g. {@code /var/lib/pacman}
   * @param refreshDbPath the agent's own directory for the refreshed copy, e.g.
   *                      {@code /var/lib/linux_patch_api/pacman-sync}
   * @param logFile       where the refresh's pacman log lines go (not pacman's own log)
   */
  public DetachedRefresh(Path realDbPath, Path refreshDbPath, Path logFile) {
    this.realDbPath = Objects.requireNonNull(realDbPath, "realDbPath").toAbsolutePath().normalize();
    this.refreshDbPath = Objects.requireNonNull(refreshDbPath, "refreshDbPath").toAbsolutePath().normalize();
    this.logFile = Objects.requireNonNull(logFile, "logFile").toAbsolutePath().normalize();
    if (this.refreshDbPath.equals(this.realDbPath) || this.refreshDbPath.startsWith(this.realDbPath)) {
      throw new IllegalArgumentException("the refresh DBPath must lie outside pacman's DBPath " + realDbPath);
    }
  }

  /** Creates the separate DBPath and points its {@code local} at the real local database (replacing anything else). */
  public void prepare() throws IOException {
    Files.createDirectories(refreshDbPath.resolve("sync"));
    Files.createDirectories(logFile.getParent());
    Path link = refreshDbPath.resolve("local");
    Path target = realDbPath.resolve("local");
    if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target)) {
      return;
    }
    if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
      if (Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(link + " is a directory, not the link to " + target + "; remove it");
      }
      Files.delete(link);
    }
    Files.createSymbolicLink(link, target);
  }

  /** The separate DBPath: give it to {@link io.linuxpatch.packages.backend.pacman.inventory.PacmanDatabases}. */
  public Path dbPath() {
    return refreshDbPath;
  }

  /** pacman's arguments (after {@code --config …}) for the refresh: {@code --dbpath D --logfile L --noconfirm -Sy}. */
  public List<String> refreshArguments() {
    return List.of("--dbpath", refreshDbPath.toString(), "--logfile", logFile.toString(), "--noconfirm", "-Sy");
  }

  /** The arguments that make a read ({@code -Qu}, {@code -S --print}, {@code -Su --print}) use the refreshed copy. */
  public List<String> readArguments() {
    return List.of("--dbpath", refreshDbPath.toString());
  }
}
