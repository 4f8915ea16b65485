package io.linuxpatch.packages.backend.dnf.inventory;

/**
 * A record of rpm's or dnf's output that could not be read, with enough context to find it; the listing
 * carries on without it (osquery's rule: collect errors with context instead of failing the whole listing).
 *
 * @param record  1-based number of the record in the output
 * @param text    the record as read (shortened to 200 characters)
 * @param message what is wrong
 */
public record RecordProblem(int record, String text, String message) {

  public RecordProblem {
    text = text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }

  @Override
  public String toString() {
    return "record " + record + ": " + message + ": " + text;
  }
}
