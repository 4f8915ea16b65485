package io.linuxpatch.system;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the host wants a reboot (PKG-4, Debian/Ubuntu flavour): the flag file that update-notifier and
 * package postinst scripts create, and the packages listed in its {@code .pkgs} sibling.
 *
 * @param required whether the flag file exists
 * @param packages the packages that asked for it, once each, in file order
 */
public record RebootRequired(boolean required, List<String> packages) {

  private static final Logger LOG = LoggerFactory.getLogger(RebootRequired.class);

  public RebootRequired {
    packages = List.copyOf(packages);
  }

  /** Reads {@code flagFile} and {@code flagFile + ".pkgs"}; a missing list is an empty list. */
  public static RebootRequired read(Path flagFile) {
    if (!Files.exists(flagFile)) {
      return new RebootRequired(false, List.of());
    }
    Path pkgs = flagFile.resolveSibling(flagFile.getFileName() + ".pkgs");
    Set<String> names = new LinkedHashSet<>();
    try {
      for (String line : Files.readAllLines(pkgs, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          names.add(line.strip());
        }
      }
    } catch (NoSuchFileException absent) {
      // The flag alone is valid: not every package that wants a reboot says so in .pkgs.
    } catch (IOException e) {
      LOG.warn("reboot is required but {} cannot be read ({}); reporting it without the package list",
          pkgs, e.toString());
    }
    return new RebootRequired(true, List.copyOf(names));
  }

  public JsonObject toJson() {
    return new JsonObject().put("required", required).put("packages", new JsonArray(packages));
  }
}
