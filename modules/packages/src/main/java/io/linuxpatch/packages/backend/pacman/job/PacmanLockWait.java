package io.linuxpatch.packages.backend.pacman.job;

import io.linuxpatch.packages.backend.ForeignLockWait;
import java.util.Optional;

/**
 * pacman's {@code db.lck} as the job engine waits for it (JOB-4): pacman itself never waits, so before each step the
 * engine asks who holds the lock ({@link PacmanLock}: a process with the file open, named from /proc) and keeps the
 * step back meanwhile. A lock nobody holds (left by a pacman killed with SIGTERM or SIGKILL) is named as such: it
 * never goes away by itself, so the job says that a repair job removes it, and ends PKG_MANAGER_LOCKED after the
 * lock wait limit rather than removing a lock on its own.
 */
public final class PacmanLockWait implements ForeignLockWait {

  private final PacmanLock lock;

  public PacmanLockWait(PacmanLock lock) {
    this.lock = lock;
  }

  @Override
  public Optional<String> heldBy() {
    PacmanLock.State state = lock.inspect();
    if (state instanceof PacmanLock.Free) {
      return Optional.empty();
    }
    return Optional.of(lock.describe(state));
  }
}
