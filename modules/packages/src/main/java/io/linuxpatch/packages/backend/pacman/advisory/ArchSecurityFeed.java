package io.linuxpatch.packages.backend.pacman.advisory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Arch Linux security tracker's JSON (the format of {@code https://security.archlinux.org/all.json},
 * {@code /issues/all.json} and {@code /issues/vulnerable.json}, written by the tracker's
 * {@code tracker/view/index.py}): an array of groups
 * <pre>{"name": "AVG-9", "packages": ["foo"], "status": "Fixed", "severity": "High", "type": "…",
 *  "affected": "1.0-1", "fixed": "1.0-2", "ticket": null, "issues": ["CVE-…"], "advisories": ["ASA-…"]}</pre>
 *
 * <p>Read as a token stream (Jackson's {@link JsonParser}), so a feed of any size costs only its groups. A group of
 * the wrong shape (no name, no packages, a status the tracker does not use, a field of the wrong type) is skipped
 * with a problem naming it; only a feed that is not JSON, not an array at the top, or cut short fails as a whole,
 * with a message saying which.
 */
public final class ArchSecurityFeed {

  private static final int MAX_PROBLEMS_KEPT = 50;

  private final JsonFactory json = new JsonFactory();

  /** Reads a whole feed; never throws for bad content, the answer says what went wrong. */
  public ArchFeedLoad read(InputStream in) {
    Reading reading = new Reading();
    try (JsonParser parser = json.createParser(in)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_ARRAY) {
        return new ArchFeedLoad.Failed("advisory feed is not an Arch Linux security tracker document: expected a JSON "
            + "array of AVG groups at the top (the format of https://security.archlinux.org/all.json)"
            + (first == null ? ", found nothing" : ", found " + describe(first)));
      }
      JsonToken token;
      int index = 0;
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        if (token == null) {
          return new ArchFeedLoad.Failed("advisory feed ended early after " + index + " groups (truncated download?)");
        }
        index++;
        if (token != JsonToken.START_OBJECT) {
          reading.problem("entry " + index + ": not an object");
          parser.skipChildren();
          continue;
        }
        readGroup(parser, index, reading);
      }
      if (parser.nextToken() != null) {
        return new ArchFeedLoad.Failed("advisory feed has more after its array of groups: not the tracker's format");
      }
    } catch (JsonEOFException e) {
      return new ArchFeedLoad.Failed("advisory feed ended early (truncated download?): " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      return new ArchFeedLoad.Failed("advisory feed is not valid JSON" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      return new ArchFeedLoad.Failed("advisory feed could not be read: " + e.getMessage());
    }
    return new ArchFeedLoad.Loaded(new ArchSecurityIndex(reading.byPackage, reading.groups), reading.problems,
        reading.problemCount);
  }

  private static void readGroup(JsonParser parser, int index, Reading reading) throws IOException {
    String name = null;
    List<String> packages = null;
    String status = null;
    String severity = null;
    String type = null;
    String affected = null;
    String fixed = null;
    List<String> issues = List.of();
    List<String> advisories = List.of();
    String wrong = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "name" -> name = text(parser, value);
        case "status" -> status = text(parser, value);
        case "severity" -> severity = text(parser, value);
        case "type" -> type = text(parser, value);
        case "affected" -> affected = text(parser, value);
        case "fixed" -> fixed = text(parser, value);
        case "packages", "issues", "advisories" -> {
          List<String> list = strings(parser, value);
          if (list == null) {
            wrong = wrong == null ? field + " is not an array of strings" : wrong;
          } else if (field.equals("packages")) {
            packages = list;
          } else if (field.equals("issues")) {
            issues = list;
          } else {
            advisories = list;
          }
        }
        default -> parser.skipChildren();
      }
    }
    String label = name == null ? "entry " + index : name;
    ArchSecurityGroup.Status parsedStatus = ArchSecurityGroup.Status.ofLabel(status);
    if (wrong != null) {
      reading.problem(label + ": " + wrong);
    } else if (name == null || name.isBlank()) {
      reading.problem(label + ": no name");
    } else if (packages == null || packages.isEmpty()) {
      reading.problem(label + ": no packages");
    } else if (parsedStatus == null) {
      reading.problem(label + ": status " + (status == null ? "missing" : "\"" + status + "\" is not one the tracker uses"));
    } else {
      ArchSecurityGroup group = new ArchSecurityGroup(name, packages, parsedStatus,
          ArchSecurityGroup.severityOf(severity), severity, type, affected, blankToNull(fixed), issues, advisories);
      reading.groups++;
      for (String pkg : packages) {
        reading.byPackage.computeIfAbsent(pkg, k -> new ArrayList<>()).add(group);
      }
    }
  }

  /** A string value; null for JSON null or any other type (skipped). */
  private static String text(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return parser.getText();
    }
    parser.skipChildren();
    return null;
  }

  /** An array of strings; null when the value is anything else. */
  private static List<String> strings(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return List.of();
    }
    if (value != JsonToken.START_ARRAY) {
      parser.skipChildren();
      return null;
    }
    List<String> list = new ArrayList<>();
    boolean allStrings = true;
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token == JsonToken.VALUE_STRING) {
        list.add(parser.getText());
      } else {
        allStrings = false;
        parser.skipChildren();
      }
    }
    return allStrings ? list : null;
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case START_OBJECT -> "an object";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      default -> token.asString() == null ? token.name() : token.asString();
    };
  }

  /** The mutable state of one read. */
  private static final class Reading {
    final Map<String, List<ArchSecurityGroup>> byPackage = new HashMap<>();
    final List<String> problems = new ArrayList<>();
    int problemCount;
    int groups;

    void problem(String text) {
      problemCount++;
      if (problems.size() < MAX_PROBLEMS_KEPT) {
        problems.add(text);
      }
    }
  }
}
