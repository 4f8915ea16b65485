package io.linuxpatch.packages.backend.apt.inventory;

/**
 * Something in a package database file that could not be read, with enough context to find it: the
 * listing carries on without the stanza or field concerned.
 *
 * @param file    the file name (not the full path: the admin and lists directories are known)
 * @param line    1-based line number of the offending line or of the stanza's first line
 * @param message what is wrong, naming the package when it is known
 */
public record ParseProblem(String file, int line, String message) {

  @Override
  public String toString() {
    return file + ":" + line + ": " + message;
  }
}
