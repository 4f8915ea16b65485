package io.linuxpatch.packages.backend.apt.sandbox;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One package version in a {@link LocalRepository}'s pool and the stanza that lists it in a {@code Packages}
 * index: the control fields as dpkg-deb reads them back from the file, plus where and what the file is, plus
 * fields only an archive adds to its index (e.g. {@code Phased-Update-Percentage}).
 *
 * @param name        Package field
 * @param version     Version field
 * @param control     the control stanza from {@code dpkg-deb --field}, without a trailing blank line
 * @param filename    path of the .deb relative to the repository root, e.g. {@code pool/main/x_1.0_all.deb}
 * @param digest      size and checksums of the .deb
 * @param indexFields extra single-line index fields, in order; none may repeat a control field or one of
 *                    the computed Filename, Size, MD5sum and SHA256 (apt rejects a stanza with a field twice)
 */
public record PoolEntry(String name, String version, String control, String filename, FileDigest digest,
    Map<String, String> indexFields) {

  /** deb822 field names: printable ASCII without a colon, not starting with {@code #} or {@code -}. */
  private static final Pattern FIELD_NAME = Pattern.compile("[!-\"$-,.-9;-~][!-9;-~]{0,63}");
  private static final Set<String> COMPUTED = Set.of("filename", "size", "md5sum", "sha256");

  public PoolEntry {
    Set<String> taken = new TreeSet<>(COMPUTED);
    for (String line : control.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith(" ") && !line.startsWith("\t")) {
        taken.add(line.substring(0, colon).toLowerCase(Locale.ROOT));
      }
    }
    Map<String, String> copy = new LinkedHashMap<>();
    for (Map.Entry<String, String> field : indexFields.entrySet()) {
      String key = field.getKey();
      String value = field.getValue();
      if (key == null || !FIELD_NAME.matcher(key).matches()) {
        throw new IllegalArgumentException("invalid index field name \"" + key + "\"");
      }
      // Field names are case-insensitive in deb822, so "sha256" would be a second SHA256.
      if (!taken.add(key.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("index field " + key + " of " + name + " " + version
            + " would repeat a control or computed field");
      }
      if (value == null || value.isBlank() || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0
          || !value.strip().equals(value)) {
        throw new IllegalArgumentException("index field " + key + " of " + name + " " + version
            + " needs one non-empty line without surrounding whitespace, got \"" + value + "\"");
      }
      copy.put(key, value);
    }
    indexFields = Collections.unmodifiableMap(copy);
  }

  /** An entry with no extra index fields. */
  public PoolEntry(String name, String version, String control, String filename, FileDigest digest) {
    this(name, version, control, filename, digest, Map.of());
  }

  /** The index stanza, ending with the blank line that separates stanzas. */
  public String stanza() {
    StringBuilder stanza = new StringBuilder(control.strip()).append('\n');
    indexFields.forEach((key, value) -> stanza.append(key).append(": ").append(value).append('\n'));
    return stanza
        .append("Filename: ").append(filename).append('\n')
        .append("Size: ").append(digest.size()).append('\n')
        .append("MD5sum: ").append(digest.md5()).append('\n')
        .append("SHA256: ").append(digest.sha256()).append('\n')
        .append('\n')
        .toString();
  }
}
