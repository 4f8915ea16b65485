package io.linuxpatch.packages.backend.pacman.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One snapshot of a pacman host's package databases: the local database and the sync repositories in
 * pacman.conf's order, as {@link PacmanDatabases} read them, with the stamps they were read at. Immutable.
 *
 * @param local  the installed packages
 * @param sync   the sync repositories, in pacman.conf's order (the first that has a name provides it)
 * @param stamps what the files looked like when read (see {@link PacmanDatabases}); two snapshots with equal
 *               stamps describe the same databases, so the stamps are the package-state fingerprint of a plan
 */
public record PacmanInventory(PacmanDatabase local, List<PacmanDatabase> sync, String stamps) {

  /**
   * An installed package whose name a sync repository offers at a higher version: one line of
   * {@code pacman -Qu}.
   *
   * @param ignored whether IgnorePkg (or a hold passed as such) keeps it back: {@code pacman -Qu} prints
   *                {@code [ignored]} after the line, {@code pacman -Su} does not upgrade it
   */
  public record PendingUpdate(String name, String installedVersion, String availableVersion, String repository,
      boolean ignored) {
  }

  public PacmanInventory {
    sync = List.copyOf(sync);
  }

  /** The installed package of that name. */
  public Optional<PacmanPackage> installed(String name) {
    return local.find(name);
  }

  /** The package pacman would install for that name: the first repository, in pacman.conf's order, that has it. */
  public Optional<PacmanPackage> available(String name) {
    for (PacmanDatabase repository : sync) {
      Optional<PacmanPackage> found = repository.find(name);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /** The package of that name in one repository. */
  public Optional<PacmanPackage> available(String repository, String name) {
    return sync.stream().filter(db -> db.name().equals(repository)).findFirst().flatMap(db -> db.find(name));
  }

  /**
   * The updates {@code pacman -Qu} lists, by libalpm's rule ({@code alpm_sync_get_new_version}): for each
   * installed package, the first repository that has its name, when that version is newer. Names in
   * {@code ignored} (IgnorePkg and holds) are listed with {@code ignored} set, as {@code -Qu} lists them with
   * {@code [ignored]}. Sorted by name, like {@code -Qu}.
   */
  public List<PendingUpdate> updates(Set<String> ignored) {
    List<PendingUpdate> updates = new ArrayList<>();
    for (PacmanPackage installed : local.packages()) {
      String name = installed.name();
      Optional<PacmanPackage> candidate = available(name);
      if (candidate.isPresent() && candidate.get().pacmanVersion().isNewerThan(installed.pacmanVersion())) {
        updates.add(new PendingUpdate(name, installed.version(), candidate.get().version(), candidate.get().database(),
            ignored.contains(name)));
      }
    }
    return updates;
  }

  /** Every entry that was left out of any database, local first. */
  public List<DatabaseProblem> problems() {
    List<DatabaseProblem> all = new ArrayList<>(local.problems());
    sync.forEach(db -> all.addAll(db.problems()));
    return all;
  }
}
