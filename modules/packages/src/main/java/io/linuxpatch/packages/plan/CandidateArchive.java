package io.linuxpatch.packages.plan;

/**
 * One archive a candidate version is available from, as apt prints it in a simulation:
 * {@code Label:Version/Suite} (e.g. {@code Debian-Security:12/stable-security}), or the shorter forms apt
 * uses when the Release file lacks a field ({@code Label:Suite}, {@code Version/Suite}, {@code Suite}, or
 * the site name for a repository without a Release file).
 *
 * @param label   the Release file's Label, or {@code null}
 * @param version the Release file's Version (e.g. {@code 12}), or {@code null}
 * @param suite   the Release file's Suite ("archive", e.g. {@code bookworm-security}); never {@code null}
 */
public record CandidateArchive(String label, String version, String suite) {

  /** Parses one comma-separated entry of apt's release string; labels may contain spaces (PPAs). */
  public static CandidateArchive parse(String entry) {
    String text = entry.strip();
    String prefix = null;
    String suite = text;
    int slash = text.lastIndexOf('/');
    if (slash >= 0) {
      prefix = text.substring(0, slash);
      suite = text.substring(slash + 1);
      int colon = prefix.lastIndexOf(':');
      if (colon >= 0) {
        return new CandidateArchive(emptyToNull(prefix.substring(0, colon)),
            emptyToNull(prefix.substring(colon + 1)), suite);
      }
      return new CandidateArchive(null, emptyToNull(prefix), suite);
    }
    int colon = text.lastIndexOf(':');
    if (colon >= 0) {
      return new CandidateArchive(emptyToNull(text.substring(0, colon)), null, text.substring(colon + 1));
    }
    return new CandidateArchive(null, null, suite);
  }

  /** How a reason names this archive, e.g. {@code bookworm-security (Debian-Security)}. */
  public String describe() {
    return label == null ? suite : suite + " (" + label + ")";
  }

  private static String emptyToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
