package io.linuxpatch.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * API-9: the document passes Redocly's recommended rules with no error, checked by the real tool as a user of the
 * ecosystem runs it ({@code npx @redocly/cli lint}, the version pinned here and in the README; npm fetches it from
 * its registry on first use and caches it in ~/.npm).
 */
@Tag("API-9")
class OpenApiLintTest {

  /** Pinned: a new Redocly release may add rules; raise it on purpose, together with the README. */
  static final String REDOCLY = "@redocly/cli@2.77.0";

  private static final Path DOCUMENT = Path.of("src/main/resources", OpenApiDocument.RESOURCE);

  @Test
  @DisplayName("npx @redocly/cli lint (recommended rules) reports no error for openapi.json")
  void recommendedRulesPass() throws Exception {
    Path npx = onPath("npx");
    assumeTrue(npx != null, "npx (Node.js with npm) is needed to run Redocly's linter: apt-get install npm");
    assertThat(DOCUMENT).as("run from the http module's directory, as Maven does").exists();
    Path output = Files.createTempFile("redocly", ".json");
    try {
      ProcessBuilder builder = new ProcessBuilder(npx.toString(), "--yes", REDOCLY, "lint", "--format=json",
          DOCUMENT.toString())
          .redirectOutput(output.toFile());
      // No telemetry, no update notices: the test reads the tool's answer, nothing else.
      builder.environment().put("REDOCLY_TELEMETRY", "off");
      builder.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
      builder.environment().put("NPM_CONFIG_UPDATE_NOTIFIER", "false");
      Process lint = builder.start();
      CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> {
        try {
          return new String(lint.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
          return e.toString();
        }
      });
      // The first run downloads the CLI from the npm registry.
      assertThat(lint.waitFor(5, TimeUnit.MINUTES)).as("redocly lint finished").isTrue();
      String json = Files.readString(output);
      assertThat(json).as("redocly printed its report; stderr: " + errors.get()).startsWith("{");
      JsonObject report = new JsonObject(json);
      List<String> problems = new ArrayList<>();
      report.getJsonArray("problems").forEach(p -> {
        JsonObject problem = (JsonObject) p;
        problems.add(problem.getString("severity") + " " + problem.getString("ruleId") + " at "
            + problem.getJsonArray("location").getJsonObject(0).getString("pointer") + ": " + problem.getString("message"));
      });
      System.out.println("redocly lint " + REDOCLY + ": " + report.getJsonObject("totals").encode()
          + (problems.isEmpty() ? "" : "\n  " + String.join("\n  ", problems)));
      assertThat(report.getJsonObject("totals").getInteger("errors")).as(String.join("\n", problems)).isZero();
      assertThat(lint.exitValue()).as("redocly's exit status with no error").isZero();
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static Path onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, command);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
