package io.linuxpatch.packages.backend.pacman.plan;

/**
 * One target of {@code pacman --print --print-format} in {@link PacmanPrint#FORMAT}'s form.
 *
 * @param repository {@code %r}: the sync repository the package comes from; {@code local} for an installed
 *                   package being removed and for a package file given to {@code -U}
 * @param name       {@code %n}
 * @param version    {@code %v}
 * @param sizeBytes  {@code %s}: for {@code -S} the download size (0 when the file is already in the cache), for
 *                   {@code -U} the file's size, for {@code -R} the installed size
 * @param location   {@code %l}: the URL or cache path the package comes from ({@code -S}), the file
 *                   ({@code -U}), or {@code NAME-VERSION} ({@code -R})
 */
public record PrintedTarget(String repository, String name, String version, long sizeBytes, String location) {

  /** Whether the package comes from a file or the local database rather than a sync repository. */
  public boolean fromLocal() {
    return "local".equals(repository);
  }
}
