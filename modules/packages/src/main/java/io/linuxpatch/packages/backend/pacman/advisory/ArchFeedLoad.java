package io.linuxpatch.packages.backend.pacman.advisory;

import java.util.List;

/** The outcome of reading an Arch security tracker feed: an index (with the groups skipped and why) or why not. */
public sealed interface ArchFeedLoad permits ArchFeedLoad.Loaded, ArchFeedLoad.Failed {

  /**
   * The feed was read; odd groups were skipped.
   *
   * @param problems     the first skipped groups, each named
   * @param problemCount how many groups were skipped in all (problems is capped)
   */
  record Loaded(ArchSecurityIndex index, List<String> problems, int problemCount) implements ArchFeedLoad {
    public Loaded {
      problems = List.copyOf(problems);
    }
  }

  /** The feed could not be used at all (not JSON, not the tracker's shape, cut short); the message says why. */
  record Failed(String message) implements ArchFeedLoad {
  }
}
