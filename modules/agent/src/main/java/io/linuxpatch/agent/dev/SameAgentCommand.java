package io.linuxpatch.agent.dev;

import io.linuxpatch.agent.Main;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The command line that starts this same agent with a config file, as developer mode prints it: a newcomer runs
 * the jar (there is no {@code linux-patch-api} command until a package installs one), so the hint names the java
 * binary and the jar this process was started from — or the class path and main class when it was not a jar.
 */
final class SameAgentCommand {

  private SameAgentCommand() {}

  /** {@code java -jar JAR --config CONFIG}, with the paths of this process. */
  static String with(Path config) {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path jar = codeSource();
    String launch = runnable(jar) ? "-jar " + jar
        : "-cp " + System.getProperty("java.class.path") + " " + Main.class.getName();
    return java + " " + launch + " --config " + config;
  }

  /** Whether {@code jar} starts the agent by itself (the shaded jar names {@link Main} as its Main-Class). */
  private static boolean runnable(Path jar) {
    if (jar == null || !Files.isRegularFile(jar)) {
      return false;
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      return manifest != null && Main.class.getName().equals(manifest.getMainAttributes().getValue("Main-Class"));
    } catch (IOException e) {
      return false;
    }
  }

  /** Where {@link Main} was loaded from: the agent's jar, or a classes directory; null when unknown. */
  private static Path codeSource() {
    try {
      var source = Main.class.getProtectionDomain().getCodeSource();
      return source == null ? null : Path.of(source.getLocation().toURI());
    } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
      return null;
    }
  }
}
