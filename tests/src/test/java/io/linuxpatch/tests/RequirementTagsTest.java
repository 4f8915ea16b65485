package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A test whose {@code @DisplayName} names a requirement id of the SPEC (SEC-3, JOB-7, …) carries it as a JUnit tag,
 * on itself or on its class, so that {@code mvn verify -Dgroups=SEC-3} runs it. Reads the test sources of every
 * module; the working directory is {@code tests} under the reactor.
 */
class RequirementTagsTest {

  private static final Pattern ID = Pattern.compile("\\b(?:SEC|API|JOB|PKG|CFG|AUD|CLU|MET|OPS|OPR)-\\d+\\b");
  private static final Pattern DISPLAY_NAME = Pattern.compile("@DisplayName\\(\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern TAG = Pattern.compile("@Tag\\(\"([^\"]+)\"\\)");

  @Test
  @DisplayName("every DisplayName that names a SPEC id has that id as a @Tag on the test or its class")
  void displayNamesAreTagged() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    assertThat(root.resolve("tests/src/test/java")).as("run from tests/ in the reactor").isDirectory();
    List<Path> sources = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root, 12)) {
      files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/test/java/")
          && !p.toString().contains("/target/")).forEach(sources::add);
    }
    List<String> untagged = new ArrayList<>();
    int named = 0;
    for (Path source : sources) {
      List<String> lines = Files.readAllLines(source);
      Set<String> classTags = classTags(lines);
      for (int i = 0; i < lines.size(); i++) {
        Matcher displayName = DISPLAY_NAME.matcher(lines.get(i));
        if (!displayName.find()) {
          continue;
        }
        Set<String> tags = new LinkedHashSet<>(classTags);
        tags.addAll(annotationTags(lines, i));
        Matcher id = ID.matcher(displayName.group(1));
        while (id.find()) {
          named++;
          if (!tags.contains(id.group())) {
            untagged.add(root.relativize(source) + ":" + (i + 1) + " names " + id.group());
          }
        }
      }
    }
    assertThat(named).as("DisplayNames naming an id (the scan sees the test sources)").isGreaterThan(10);
    assertThat(untagged).as("add @Tag(\"<id>\") to the test or its class").isEmpty();
  }

  /** The tags of the class declarations (any nesting): @Tag lines right above a line declaring a class. */
  private static Set<String> classTags(List<String> lines) {
    Set<String> tags = new LinkedHashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).matches("\\s*(?:(?:public|final|abstract|static)\\s+)*class\\s+\\w+.*")) {
        tags.addAll(annotationTags(lines, i));
      }
    }
    return tags;
  }

  /** The @Tag values in the run of annotation lines around line {@code at}. */
  private static Set<String> annotationTags(List<String> lines, int at) {
    Set<String> tags = new LinkedHashSet<>();
    for (int i = at; i >= 0 && (i == at || lines.get(i).strip().startsWith("@")); i--) {
      Matcher tag = TAG.matcher(lines.get(i));
      while (tag.find()) {
        tags.add(tag.group(1));
      }
    }
    for (int i = at + 1; i < lines.size() && lines.get(i).strip().startsWith("@"); i++) {
      Matcher tag = TAG.matcher(lines.get(i));
      while (tag.find()) {
        tags.add(tag.group(1));
      }
    }
    return tags;
  }
}
