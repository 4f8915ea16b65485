package io.linuxpatch.packages.backend.apt.advisory;


import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the Debian security tracker JSON ({@code https://security-tracker.debian.org/tracker/data/json}):
 * <pre>{"source": {"CVE-…": {"description", "scope", "releases": {"bookworm": {"status", "fixed_version",
 * "urgency", "repositories"}}}}}</pre>
 *
 * <p>The file is tens of MB, so it is read as a token stream (Jackson's {@link JsonParser}) and only resolved
 * fixes are kept; descriptions are skipped unread. An entry of the wrong shape is skipped with a problem
 * naming its package and CVE; only a feed that is not JSON or not an object at the top fails as a whole.
 */
public final class DebianTrackerFeed {

  private static final int MAX_PROBLEMS_KEPT = 50;

  private final JsonFactory json = new JsonFactory();
  private final Comparator<String> versions;

  /** @param versions Debian version order, used by the index's lookups */
  public DebianTrackerFeed(Comparator<String> versions) {
    this.versions = Objects.requireNonNull(versions, "versions");
  }

  /** Reads a whole feed; never throws for bad content, the answer says what went wrong. */
  public FeedLoad read(InputStream in) {
    Reading reading = new Reading();
    try (JsonParser parser = json.createParser(in)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return new FeedLoad.Failed("advisory feed is not a Debian security tracker document: "
            + "expected a JSON object of source packages at the top");
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String source = parser.currentName();
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          reading.problem(source + ": not an object of CVEs");
          parser.skipChildren();
          continue;
        }
        readPackage(parser, source, reading);
      }
      if (token != JsonToken.END_OBJECT) {
        return new FeedLoad.Failed("advisory feed ended early (truncated download?)");
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      return new FeedLoad.Failed("advisory feed is not valid JSON" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      return new FeedLoad.Failed("advisory feed could not be read: " + e.getMessage());
    }
    return new FeedLoad.Loaded(new DebianTrackerIndex(reading.fixes, versions), reading.problems,
        reading.problemCount);
  }

  private void readPackage(JsonParser parser, String source, Reading reading) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String cve = parser.currentName();
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        reading.problem(source + " " + cve + ": not an object");
        parser.skipChildren();
        continue;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (!field.equals("releases")) {
          parser.skipChildren();
        } else if (value != JsonToken.START_OBJECT) {
          reading.problem(source + " " + cve + ": releases is not an object");
          parser.skipChildren();
        } else {
          readReleases(parser, source, cve, reading);
        }
      }
    }
  }

  private void readReleases(JsonParser parser, String source, String cve, Reading reading) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String codename = parser.currentName();
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        reading.problem(source + " " + cve + " " + codename + ": not an object");
        parser.skipChildren();
        continue;
      }
      String status = null;
      String fixedVersion = null;
      String urgency = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value == JsonToken.VALUE_STRING) {
          switch (field) {
            case "status" -> status = parser.getText();
            case "fixed_version" -> fixedVersion = parser.getText();
            case "urgency" -> urgency = parser.getText();
            default -> { }
          }
        } else {
          parser.skipChildren();
        }
      }
      // "resolved" with fixed_version "0" means the release was never affected: nothing to fix
      if ("resolved".equals(status) && fixedVersion != null && !fixedVersion.isBlank()
          && !fixedVersion.equals("0")) {
        reading.fixes.computeIfAbsent(new DebianTrackerIndex.Key(source, codename), k -> new ArrayList<>())
            .add(new TrackerFix(cve, fixedVersion, urgency));
      }
    }
  }

  /** The mutable state of one read. */
  private static final class Reading {
    final Map<DebianTrackerIndex.Key, List<TrackerFix>> fixes = new HashMap<>();
    final List<String> problems = new ArrayList<>();
    int problemCount;

    void problem(String text) {
      problemCount++;
      if (problems.size() < MAX_PROBLEMS_KEPT) {
        problems.add(text);
      }
    }
  }
}
