package io.linuxpatch.contract.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one section of the YAML configuration with a default for every key, collecting every problem
 * with the dotted key it concerns instead of stopping at the first.
 *
 * <p>Why not JSON Schema: the defaults, the types and the ranges of a key live here in one line each,
 * and the messages name the key in the operator's terms ("server.port: must be between 1 and 65535,
 * got 70000"); a schema would repeat every default in a second place.
 */
public final class ConfigReader {

  private final JsonObject section;
  private final String prefix;
  private final List<ConfigProblem> problems;
  private final Set<String> known = new HashSet<>();

  private ConfigReader(JsonObject section, String prefix, List<ConfigProblem> problems) {
    this.section = section;
    this.prefix = prefix;
    this.problems = problems;
  }

  /** A reader for the whole document. */
  public static ConfigReader root(JsonObject document, List<ConfigProblem> problems) {
    return new ConfigReader(document == null ? new JsonObject() : document, "", problems);
  }

  /** A reader for a nested section; a missing section reads as all defaults. */
  public ConfigReader section(String key) {
    known.add(key);
    Object value = section.getValue(key);
    if (value == null) {
      return new ConfigReader(new JsonObject(), path(key) + ".", problems);
    }
    if (!(value instanceof JsonObject object)) {
      problem(key, "must be a section of keys, got " + describe(value));
      return new ConfigReader(new JsonObject(), path(key) + ".", problems);
    }
    return new ConfigReader(object, path(key) + ".", problems);
  }

  public String string(String key, String fallback) {
    known.add(key);
    Object value = section.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value);
    }
    problem(key, "must be a string, got " + describe(value));
    return fallback;
  }

  /** A string that must not be empty when present. */
  public String nonEmptyString(String key, String fallback) {
    String value = string(key, fallback);
    if (value != null && value.isBlank()) {
      problem(key, "must not be empty");
      return fallback;
    }
    return value;
  }

  /** An absolute file-system path, or null when absent and {@code fallback} is null. */
  public String path(String key, String fallback) {
    String value = nonEmptyString(key, fallback);
    if (value != null && !value.startsWith("/")) {
      problem(key, "must be an absolute path, got \"" + value + "\"");
      return fallback;
    }
    return value;
  }

  public String oneOf(String key, String fallback, String... allowed) {
    String value = string(key, fallback);
    if (value == null) {
      return null;
    }
    for (String a : allowed) {
      if (a.equals(value)) {
        return value;
      }
    }
    problem(key, "must be one of " + String.join(", ", allowed) + ", got \"" + value + "\"");
    return fallback;
  }

  public int integer(String key, int fallback, int min, int max) {
    known.add(key);
    Object value = section.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Integer || value instanceof Long || value instanceof Short)) {
      problem(key, "must be a whole number, got " + describe(value));
      return fallback;
    }
    long n = ((Number) value).longValue();
    if (n < min || n > max) {
      problem(key, "must be between " + min + " and " + max + ", got " + n);
      return fallback;
    }
    return (int) n;
  }

  public boolean bool(String key, boolean fallback) {
    known.add(key);
    Object value = section.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    problem(key, "must be true or false, got " + describe(value));
    return fallback;
  }

  public List<String> stringList(String key, List<String> fallback) {
    known.add(key);
    Object value = section.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof JsonArray array)) {
      problem(key, "must be a list, got " + describe(value));
      return fallback;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      if (item instanceof String s && !s.isBlank()) {
        out.add(s);
      } else {
        problem(key + "[" + i + "]", "must be a non-empty string, got " + describe(item));
      }
    }
    return List.copyOf(out);
  }

  /** A map of string keys to string values, order kept (e.g. {@code package_manager.env}). */
  public Map<String, String> stringMap(String key) {
    known.add(key);
    Object value = section.getValue(key);
    Map<String, String> out = new LinkedHashMap<>();
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof JsonObject object)) {
      problem(key, "must be a section of name: value pairs, got " + describe(value));
      return Map.of();
    }
    for (Map.Entry<String, Object> e : object) {
      if (e.getValue() instanceof String || e.getValue() instanceof Number || e.getValue() instanceof Boolean) {
        out.put(e.getKey(), String.valueOf(e.getValue()));
      } else {
        problem(key + "." + e.getKey(), "must be a string, got " + describe(e.getValue()));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** The raw value of a key this reader does not interpret itself (the caller validates it). */
  public Object raw(String key) {
    known.add(key);
    return section.getValue(key);
  }

  /** Reports a problem about {@code key} of this section. */
  public void problem(String key, String text) {
    problems.add(new ConfigProblem(path(key), text));
  }

  /** Call once every key was read: every other key of the section is reported as unknown. */
  public void rejectUnknownKeys() {
    for (String key : section.fieldNames()) {
      if (!known.contains(key)) {
        problems.add(new ConfigProblem(path(key), "unknown key"));
      }
    }
  }

  private String path(String key) {
    return prefix + key;
  }

  private static String describe(Object value) {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof JsonObject) {
      return "a section";
    }
    if (value instanceof JsonArray) {
      return "a list";
    }
    if (value instanceof String s) {
      return "\"" + s + "\"";
    }
    return String.valueOf(value);
  }
}
