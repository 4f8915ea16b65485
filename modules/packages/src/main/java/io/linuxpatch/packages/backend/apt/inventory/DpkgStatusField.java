package io.linuxpatch.packages.backend.apt.inventory;

import java.util.Optional;

/**
 * The three words of a status file's {@code Status:} field ({@code want flag status}, e.g.
 * {@code hold ok installed}) and the two or three letters {@code dpkg -l} shows for them ({@code hi}).
 *
 * @param want              what the administrator asked for
 * @param reinstallRequired the {@code reinstreq} flag: a failed removal or installation left the package broken
 * @param current           where the package really is
 */
public record DpkgStatusField(Want want, boolean reinstallRequired, Current current) {

  /** The selection state: what should happen to the package. */
  public enum Want {
    UNKNOWN("unknown", 'u'),
    INSTALL("install", 'i'),
    HOLD("hold", 'h'),
    DEINSTALL("deinstall", 'r'),
    PURGE("purge", 'p');

    private final String word;
    private final char letter;

    Want(String word, char letter) {
      this.word = word;
      this.letter = letter;
    }

    /** The word in the status file. */
    public String word() {
      return word;
    }

    static Want of(String word) {
      for (Want want : values()) {
        if (want.word.equals(word)) {
          return want;
        }
      }
      return null;
    }
  }

  /** The package state: how far installation or removal got. */
  public enum Current {
    NOT_INSTALLED("not-installed", 'n'),
    CONFIG_FILES("config-files", 'c'),
    HALF_INSTALLED("half-installed", 'H'),
    UNPACKED("unpacked", 'U'),
    HALF_CONFIGURED("half-configured", 'F'),
    TRIGGERS_AWAITED("triggers-awaited", 'W'),
    TRIGGERS_PENDING("triggers-pending", 't'),
    INSTALLED("installed", 'i');

    private final String word;
    private final char letter;

    Current(String word, char letter) {
      this.word = word;
      this.letter = letter;
    }

    /** The word in the status file, also the {@code status} shown to API clients. */
    public String word() {
      return word;
    }

    static Current of(String word) {
      for (Current current : values()) {
        if (current.word.equals(word)) {
          return current;
        }
      }
      return null;
    }
  }

  /**
   * Reads a {@code Status:} value: exactly three blank-separated words, each one dpkg knows.
   *
   * @return empty when the value is not such a triple
   */
  public static Optional<DpkgStatusField> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String[] words = new String[3];
    int count = 0;
    int i = 0;
    int length = value.length();
    while (i < length) {
      while (i < length && Character.isWhitespace(value.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < length && !Character.isWhitespace(value.charAt(i))) {
        i++;
      }
      if (i > start) {
        if (count == 3) {
          return Optional.empty();
        }
        words[count++] = value.substring(start, i);
      }
    }
    if (count != 3) {
      return Optional.empty();
    }
    Want want = Want.of(words[0]);
    Current current = Current.of(words[2]);
    boolean ok = words[1].equals("ok");
    if (want == null || current == null || (!ok && !words[1].equals("reinstreq"))) {
      return Optional.empty();
    }
    return Optional.of(new DpkgStatusField(want, !ok, current));
  }

  /** {@code ii}, {@code hi}, {@code rc}…, with a trailing {@code R} when reinstallation is required. */
  public String abbreviation() {
    String letters = new String(new char[] {want.letter, current.letter});
    return reinstallRequired ? letters + "R" : letters;
  }

  /** The field value as dpkg writes it, e.g. {@code install ok installed}. */
  public String words() {
    return want.word + (reinstallRequired ? " reinstreq " : " ok ") + current.word;
  }

  /** dpkg's {@code ii} or {@code hi} (SPEC endpoint 2's default filter {@code installed}). */
  public boolean isInstalled() {
    return current == Current.INSTALLED && (want == Want.INSTALL || want == Want.HOLD);
  }

  /** Whether the package's files are (at least partly) on disk, whatever was asked for it. */
  public boolean isPresent() {
    return current != Current.NOT_INSTALLED && current != Current.CONFIG_FILES;
  }

  /** dpkg's {@code rc}-like state: removed, configuration files left. */
  public boolean isConfigFilesOnly() {
    return current == Current.CONFIG_FILES;
  }

  /** Marked for hold ({@code apt-mark hold} / {@code dpkg --set-selections}). */
  public boolean isHeld() {
    return want == Want.HOLD;
  }
}
