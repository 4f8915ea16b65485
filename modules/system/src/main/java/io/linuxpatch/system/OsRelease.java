package io.linuxpatch.system;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operating system as named by os-release(5): the fields endpoint 9 reports under {@code os}.
 *
 * @param name      NAME, "Linux" when absent (the default os-release(5) prescribes)
 * @param version   VERSION, may be null
 * @param versionId VERSION_ID, may be null
 * @param codename  VERSION_CODENAME, else UBUNTU_CODENAME, else null
 * @param id        ID, "linux" when absent
 * @param idLike    ID_LIKE split on spaces; empty when absent
 */
public record OsRelease(String name, String version, String versionId, String codename, String id,
    List<String> idLike) {

  public OsRelease {
    idLike = List.copyOf(idLike);
  }

  /** What a host without any os-release file is. */
  public static final OsRelease UNKNOWN = new OsRelease("Linux", null, null, null, "linux", List.of());

  /** Parses the text of an os-release file; unparseable lines are skipped, as the format demands. */
  public static OsRelease parse(String text) {
    Map<String, String> vars = new HashMap<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      vars.put(line.substring(0, eq), unquote(line.substring(eq + 1)));
    }
    String idLike = vars.getOrDefault("ID_LIKE", "").strip();
    String codename = vars.get("VERSION_CODENAME");
    if (codename == null || codename.isEmpty()) {
      codename = vars.get("UBUNTU_CODENAME");
    }
    return new OsRelease(
        vars.getOrDefault("NAME", "Linux"),
        vars.get("VERSION"),
        vars.get("VERSION_ID"),
        codename == null || codename.isEmpty() ? null : codename,
        vars.getOrDefault("ID", "linux"),
        idLike.isEmpty() ? List.of() : List.of(idLike.split("\\s+")));
  }

  /**
   * Shell-style unquoting as os-release(5) allows: single quotes are literal, double quotes honour
   * backslash escapes of {@code $ " \ `}, a backslash outside quotes escapes the next character.
   */
  static String unquote(String value) {
    StringBuilder out = new StringBuilder(value.length());
    char quote = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          out.append(c);
        }
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '\\' && i + 1 < value.length() && "$\"\\`".indexOf(value.charAt(i + 1)) >= 0) {
          out.append(value.charAt(++i));
        } else {
          out.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '\\' && i + 1 < value.length()) {
        out.append(value.charAt(++i));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("version", version)
        .put("version_id", versionId)
        .put("codename", codename)
        .put("id", id)
        .put("id_like", new JsonArray(idLike));
  }
}
