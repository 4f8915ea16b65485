package io.linuxpatch.agent.config;

import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.contract.config.ConfigProblem;
import io.linuxpatch.contract.config.YamlDocument;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the agent's YAML configuration file (CFG-1) into an {@link AgentConfig}, with every problem
 * named by its key; a file that cannot be read or parsed is one problem named by the file.
 *
 * @param path     the file
 * @param document the YAML as JSON (what verticles are deployed with); empty when unreadable
 * @param parsed   the typed config and its problems
 */
public record ConfigFile(Path path, JsonObject document, AgentConfig.Parsed parsed) {

  public static ConfigFile read(Path path) {
    try {
      return fromText(path, Files.readString(path, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return failed(path, "does not exist; pass --config FILE or run `linux-patch-api dev` for a development setup");
    } catch (IOException e) {
      return failed(path, "cannot be read: " + e.getMessage());
    }
  }

  public static ConfigFile fromText(Path path, String text) {
    try {
      JsonObject document = YamlDocument.parse(text);
      JsonObject doc = document == null ? new JsonObject() : document;
      return new ConfigFile(path, doc, AgentConfig.parse(doc));
    } catch (YamlDocument.Invalid e) {
      return failed(path, e.getMessage());
    }
  }

  private static ConfigFile failed(Path path, String problem) {
    return new ConfigFile(path, new JsonObject(), new AgentConfig.Parsed(AgentConfig.defaults(),
        List.of(new ConfigProblem(String.valueOf(path), problem))));
  }

  public boolean valid() {
    return parsed.valid();
  }

  public AgentConfig config() {
    return parsed.config();
  }

  public List<ConfigProblem> problems() {
    return parsed.problems();
  }
}
