package io.linuxpatch.packages.backend;

import java.util.Optional;

/**
 * The lock of a package manager that refuses at once when another program holds it instead of waiting (pacman's
 * {@code db.lck}): the job engine waits in its place (JOB-4). Before each step it asks {@link #heldBy}; while the
 * lock is held it keeps the step back, says the holder in the job's message, and ends the job PKG_MANAGER_LOCKED
 * after {@code jobs.lock_wait_seconds}; a step the package manager refused because the lock was taken between that
 * check and its start is run again within the same limit.
 */
public interface ForeignLockWait {

  /**
   * Who holds the lock now, as the job's message says it (e.g. "waiting for the pacman database lock …, held by
   * process 812 (pacman)"); empty when a run may start. Blocking (it may look through /proc): the engine calls it
   * beside its context.
   */
  Optional<String> heldBy();
}
