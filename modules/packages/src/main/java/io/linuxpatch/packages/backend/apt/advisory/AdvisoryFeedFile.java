package io.linuxpatch.packages.backend.apt.advisory;

import io.linuxpatch.packages.advisory.AdvisoryLookup;
import io.linuxpatch.packages.backend.apt.AptBackend;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code patches.advisory_feed} as a local file of Debian security tracker JSON (PKG-3): read once and
 * again whenever the file changes (an operator's cron job or a timer refreshes it daily). A feed that
 * cannot be read keeps the last good one; with none, severities are {@code unknown}.
 */
public final class AdvisoryFeedFile {

  private static final Logger LOG = LoggerFactory.getLogger(AdvisoryFeedFile.class);

  private final Path path;
  private FileTime loadedStamp;
  private AdvisoryLookup lookup = AdvisoryLookup.none();

  public AdvisoryFeedFile(String configured) {
    this.path = configured == null ? null : Path.of(configured);
    if (configured != null && !configured.startsWith("/")) {
      LOG.warn("patches.advisory_feed {} is not a local absolute path; only Debian security tracker JSON files "
          + "are read in this build, so severities stay unknown", configured);
    }
  }

  /** The current lookup, re-read first when the file changed. Called from a worker thread. */
  public synchronized AdvisoryLookup current() {
    if (path == null || !path.isAbsolute()) {
      return lookup;
    }
    try {
      FileTime stamp = Files.getLastModifiedTime(path);
      if (!stamp.equals(loadedStamp)) {
        try (InputStream in = Files.newInputStream(path)) {
          FeedLoad load = new DebianTrackerFeed(AptBackend.VERSIONS).read(in);
          if (load instanceof FeedLoad.Loaded loaded) {
            lookup = loaded.index();
            LOG.info("advisory feed {} loaded ({} problems skipped)", path, loaded.problemCount());
          } else if (load instanceof FeedLoad.Failed failed) {
            LOG.warn("advisory feed {} rejected, keeping the previous one: {}", path, failed.message());
          }
        }
        loadedStamp = stamp;
      }
    } catch (IOException e) {
      LOG.warn("advisory feed {} cannot be read, keeping the previous one: {}", path, e.getMessage());
    }
    return lookup;
  }
}
