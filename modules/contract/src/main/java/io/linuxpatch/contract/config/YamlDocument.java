package io.linuxpatch.contract.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a YAML file of ours (config, allow-list) into JSON with SnakeYAML's safe constructor: no custom
 * types, no aliases bombs (alias and nesting limits), keys must be strings. A document that is empty or
 * only comments reads as null so that callers can tell "empty" from {@code {}}.
 */
public final class YamlDocument {

  private static final int MAX_BYTES = 1024 * 1024;
  /** Aliases can multiply a small file into millions of values (or refer to themselves): cap what is built. */
  private static final int MAX_VALUES = 100_000;
  private static final int MAX_DEPTH = 32;

  private YamlDocument() {}

  /** Thrown for text that is not a YAML mapping of ours; the message says where and why. */
  public static final class Invalid extends Exception {
    public Invalid(String message) {
      super(message, null, false, false);
    }
  }

  /** The document as JSON, or null when it holds no value at all (empty file, only comments). */
  public static JsonObject parse(String text) throws Invalid {
    if (text.length() > MAX_BYTES) {
      throw new Invalid("the file is larger than " + MAX_BYTES + " bytes");
    }
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(20);
    options.setNestingDepthLimit(20);
    options.setCodePointLimit(MAX_BYTES);
    Object root;
    try {
      root = new Yaml(new SafeConstructor(options)).load(text);
    } catch (MarkedYAMLException e) {
      String where = e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1)
          + ", column " + (e.getProblemMark().getColumn() + 1);
      throw new Invalid("not valid YAML" + where + ": " + e.getProblem());
    } catch (YAMLException e) {
      throw new Invalid("not valid YAML: " + e.getMessage());
    }
    if (root == null) {
      return null;
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new Invalid("the document must be a mapping of keys, not a single value or a list");
    }
    return new Conversion().object(map, "", 0);
  }

  /** Turns SnakeYAML's objects into JSON, counting what it builds so that aliases cannot explode it. */
  private static final class Conversion {
    private int values;

    JsonObject object(Map<?, ?> map, String path, int depth) throws Invalid {
      JsonObject out = new JsonObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new Invalid("key " + e.getKey() + (path.isEmpty() ? "" : " under " + path) + " must be text");
        }
        out.put(key, value(e.getValue(), path.isEmpty() ? key : path + "." + key, depth + 1));
      }
      return out;
    }

    Object value(Object value, String path, int depth) throws Invalid {
      if (++values > MAX_VALUES) {
        throw new Invalid("the document expands to more than " + MAX_VALUES + " values (aliases?)");
      }
      if (depth > MAX_DEPTH) {
        throw new Invalid("the document nests deeper than " + MAX_DEPTH + " levels at " + path
            + " (a self-referencing alias?)");
      }
      if (value instanceof Map<?, ?> map) {
        return object(map, path, depth);
      }
      if (value instanceof List<?> list) {
        JsonArray array = new JsonArray();
        for (int i = 0; i < list.size(); i++) {
          array.add(value(list.get(i), path + "[" + i + "]", depth + 1));
        }
        return array;
      }
      if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
          || value instanceof Long || value instanceof Double) {
        return value;
      }
      if (value instanceof Date date) {
        // SnakeYAML reads "2024-01-02" as a UTC timestamp; give back the text the operator wrote.
        Instant instant = date.toInstant();
        return instant.equals(instant.truncatedTo(ChronoUnit.DAYS))
            ? instant.atZone(ZoneOffset.UTC).toLocalDate().toString() : instant.toString();
      }
      if (value instanceof byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
      }
      // Big integers and the like: never meaningful in our files; keep the text instead of failing later.
      return String.valueOf(value);
    }
  }
}
