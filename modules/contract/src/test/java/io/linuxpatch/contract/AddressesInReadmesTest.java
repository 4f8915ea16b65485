package io.linuxpatch.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every module README says what the module sends and receives on the event bus (the project's house rule): a
 * module whose main code uses an address of {@link Addresses} names that address in its README. Reads the
 * project's own sources; the module's working directory is {@code modules/contract} under the reactor.
 */
@DisplayName("module READMEs name every event-bus address their code uses")
class AddressesInReadmesTest {

  private static final Path MODULES = Path.of("..");
  private static final Pattern USE = Pattern.compile("\\bAddresses\\.([A-Z][A-Z0-9_]*)\\b");

  @Test
  @DisplayName("each address a module's main code uses appears in that module's README")
  void readmesNameTheirAddresses() throws Exception {
    Map<String, String> addresses = addresses();
    assertThat(Path.of("").toAbsolutePath().getFileName().toString()).as("run from modules/contract")
        .isEqualTo("contract");
    List<String> missing = new ArrayList<>();
    int modulesChecked = 0;
    try (Stream<Path> modules = Files.list(MODULES)) {
      for (Path module : modules.sorted().toList()) {
        Path sources = module.resolve("src/main/java");
        Path readme = module.resolve("README.md");
        if (!Files.isDirectory(sources) || module.getFileName().toString().equals("contract")) {
          continue;
        }
        modulesChecked++;
        String text = Files.isRegularFile(readme) ? Files.readString(readme) : "";
        for (String constant : used(sources)) {
          String address = addresses.get(constant);
          assertThat(address).as("Addresses.%s used in %s", constant, module.getFileName()).isNotNull();
          if (!text.contains("`" + address + "`")) {
            missing.add(module.getFileName() + ": " + address + " (Addresses." + constant + ")");
          }
        }
      }
    }
    assertThat(modulesChecked).as("modules found beside contract").isGreaterThan(8);
    assertThat(missing).as("addresses used by a module whose README does not name them (in backticks)").isEmpty();
  }

  @Test
  @DisplayName("the scan finds what a module uses, so the check above can fail")
  void scanFindsUses() {
    Matcher m = USE.matcher("bus.send(Addresses.AUDIT_RECORD, record); // and Addresses.JOBS_EVENTS");
    List<String> found = new ArrayList<>();
    while (m.find()) {
      found.add(m.group(1));
    }
    assertThat(found).containsExactly("AUDIT_RECORD", "JOBS_EVENTS");
  }

  /** The address constants of {@link Addresses}: name to address. */
  private static Map<String, String> addresses() throws IllegalAccessException {
    Map<String, String> byName = new TreeMap<>();
    for (Field field : Addresses.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        byName.put(field.getName(), (String) field.get(null));
      }
    }
    assertThat(byName).as("Addresses' constants").isNotEmpty();
    return byName;
  }

  private static TreeSet<String> used(Path sources) throws IOException {
    TreeSet<String> constants = new TreeSet<>();
    try (Stream<Path> files = Files.walk(sources)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
        Matcher m = USE.matcher(read(f));
        while (m.find()) {
          constants.add(m.group(1));
        }
      });
    }
    return constants;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
