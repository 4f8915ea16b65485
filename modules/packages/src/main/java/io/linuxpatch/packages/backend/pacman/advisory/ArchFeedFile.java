package io.linuxpatch.packages.backend.pacman.advisory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code patches.advisory_feed} on a pacman host (PKG-3): a local file in the Arch Linux security tracker's JSON
 * format ({@code all.json}), read once and again whenever it changes (a timer of the operator's refreshes it); a
 * configuration reload makes a new one. A feed that cannot be read keeps the last good index; with none configured
 * (or none ever readable) there is no index, and patches say that no advisory data is configured.
 */
public final class ArchFeedFile {

  private static final Logger LOG = LoggerFactory.getLogger(ArchFeedFile.class);

  private final Path path;
  private String loadedStamp;
  private ArchSecurityIndex index;
  private String problem;

  /** @param configured {@code patches.advisory_feed}, or null */
  public ArchFeedFile(String configured) {
    this.path = configured == null ? null : Path.of(configured);
    if (configured != null && !path.isAbsolute()) {
      LOG.warn("patches.advisory_feed {} is not a local absolute path; only Arch Linux security tracker JSON files "
          + "are read in this build, so pacman patches carry no advisories", configured);
    }
  }

  /** The configured file, if any. */
  public Optional<Path> path() {
    return Optional.ofNullable(path);
  }

  /** The current index, re-read first when the file changed; empty without a usable feed. Blocking. */
  public synchronized Optional<ArchSecurityIndex> current() {
    if (path == null || !path.isAbsolute()) {
      return Optional.empty();
    }
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      String stamp = attributes.lastModifiedTime().toMillis() + " " + attributes.size() + " " + attributes.fileKey();
      if (!stamp.equals(loadedStamp)) {
        try (InputStream in = Files.newInputStream(path)) {
          ArchFeedLoad load = new ArchSecurityFeed().read(in);
          if (load instanceof ArchFeedLoad.Loaded loaded) {
            index = loaded.index();
            problem = null;
            LOG.info("Arch security tracker feed {} loaded: {} groups ({} skipped)", path, loaded.index().size(),
                loaded.problemCount());
          } else if (load instanceof ArchFeedLoad.Failed failed) {
            problem = failed.message();
            LOG.warn("Arch security tracker feed {} rejected, keeping the previous one: {}", path, failed.message());
          }
        }
        loadedStamp = stamp;
      }
    } catch (IOException e) {
      problem = "cannot be read: " + e.getMessage();
      LOG.warn("Arch security tracker feed {} cannot be read, keeping the previous one: {}", path, e.getMessage());
    }
    return Optional.ofNullable(index);
  }

  /** Why the configured feed is not in use (or not up to date), null when it is fine or none is configured. */
  public synchronized String problem() {
    return problem;
  }
}
