package io.linuxpatch.packages.backend.apt.advisory;


import java.util.List;

/** The outcome of reading an advisory feed: an index (with the entries that were skipped and why) or why not. */
public sealed interface FeedLoad permits FeedLoad.Loaded, FeedLoad.Failed {

  /**
   * The feed was read; odd entries were skipped.
   *
   * @param problems       the first skipped entries, each with its package and CVE
   * @param problemCount   how many entries were skipped in all (problems is capped)
   */
  record Loaded(DebianTrackerIndex index, List<String> problems, int problemCount) implements FeedLoad {
    public Loaded {
      problems = List.copyOf(problems);
    }
  }

  /** The feed could not be used at all (not JSON, not the tracker's shape, unreadable); the message says why. */
  record Failed(String message) implements FeedLoad {
  }
}
