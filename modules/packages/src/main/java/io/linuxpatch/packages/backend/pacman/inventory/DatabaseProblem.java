package io.linuxpatch.packages.backend.pacman.inventory;

/**
 * Something in a pacman database that could not be read, with enough context to find it; the inventory carries
 * on without the entry concerned (osquery's discipline: one odd entry never fails a whole listing).
 *
 * @param source  {@code local/NAME-VER/desc}, or {@code sync/REPO.db:NAME-VER/desc}, or a database file
 * @param message what is wrong
 */
public record DatabaseProblem(String source, String message) {

  @Override
  public String toString() {
    return source + ": " + message;
  }
}
