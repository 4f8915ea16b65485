package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The .deb and .rpm of this checkout, built the operator's way ({@code mvn -Pdist package} of {@code packaging/},
 * OPS-1) from the agent jar this build made, into {@code tests/target/packages/<jar size>-<jar mtime>/}: nothing
 * outside the build's target folders and nothing in ~/.m2 is written. Each version is built once per agent jar and
 * shared by the packaging test classes, also across the suite's two test JVMs (the first takes a file lock and
 * builds, the other waits for it and reuses the result; a class run alone builds what it needs);
 * {@link #previous()} is the same files under an older version, for the upgrade tests.
 */
final class PackageBuild {

  /** The two packages of one build and the version they carry. */
  record Packages(Path deb, Path rpm, String version) {}

  /** The version the upgrade tests start from: older than any this project will carry. */
  static final String PREVIOUS_VERSION = "0.0.9";

  static final Path CHECKOUT = Path.of("..").toAbsolutePath().normalize();
  static final Path AGENT_JAR = CHECKOUT.resolve("modules/agent/target/linux-patch-api.jar");

  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);
  private static Path workDir;
  private static Packages current;
  private static Packages previous;

  private PackageBuild() {}

  /** The packages of this checkout's version, as {@code mvn -B -DskipTests -Pdist package} makes them. */
  static synchronized Packages current() throws Exception {
    if (current == null) {
      current = build("current", null);
    }
    return current;
  }

  /** The same files packaged as {@link #PREVIOUS_VERSION}. */
  static synchronized Packages previous() throws Exception {
    if (previous == null) {
      previous = build("previous", PREVIOUS_VERSION);
    }
    return previous;
  }

  /** The version the packages of this checkout carry: the project's, with "-SNAPSHOT" written "~SNAPSHOT". */
  static String currentVersion() {
    return System.getProperty("lpa.project.version", "0.1.0-SNAPSHOT").replace("-SNAPSHOT", "~SNAPSHOT");
  }

  private static Packages build(String name, String baseVersion) throws Exception {
    assertThat(AGENT_JAR).as("the agent jar (mvn package builds it before the tests)").isRegularFile();
    Path out = workDir().resolve(name);
    Files.createDirectories(out);
    try (FileChannel lock = FileChannel.open(out.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = lock.lock()) {
      String version = baseVersion == null ? currentVersion() : baseVersion;
      Packages packages = new Packages(out.resolve("linux-patch-api_" + version + "_all.deb"),
          out.resolve("linux-patch-api-" + version + "-1.noarch.rpm"), version);
      Path done = out.resolve(".built");
      if (!Files.exists(done)) {
        runMaven(out.resolve("build"), baseVersion);
        Files.move(out.resolve("build").resolve(packages.deb().getFileName()), packages.deb(),
            StandardCopyOption.REPLACE_EXISTING);
        Files.move(out.resolve("build").resolve(packages.rpm().getFileName()), packages.rpm(),
            StandardCopyOption.REPLACE_EXISTING);
        deleteTree(out.resolve("build"));
        Files.writeString(done, "");
      }
      assertThat(packages.deb()).as("the .deb, named as Debian names it").isRegularFile();
      assertThat(packages.rpm()).as("the .rpm, named as rpmbuild names it").isRegularFile();
      return packages;
    }
  }

  /** {@code mvn -Pdist package} of packaging/ into {@code out}, as version {@code baseVersion} (null: this one). */
  private static void runMaven(Path out, String baseVersion) throws Exception {
    List<String> argv = new ArrayList<>(List.of(maven(), "-B", "-q", "-Pdist", "-f",
        CHECKOUT.resolve("packaging/pom.xml").toString(), "package", "-Ddist.buildDirectory=" + out));
    String repository = System.getProperty("lpa.maven.repository");
    if (repository != null && !repository.isBlank()) {
      argv.add("-Dmaven.repo.local=" + repository);
    }
    if ("offline=true".equals(System.getProperty("lpa.maven.offline"))) {
      argv.add("-o");
    }
    if (baseVersion != null) {
      argv.add("-Ddist.baseVersion=" + baseVersion);
    }
    ExternalCommand.run(argv, Map.of("JAVA_HOME", System.getProperty("java.home")), BUILD_TIMEOUT).succeeded();
  }

  /** The Maven running this build (surefire passes its home), else the one on PATH. */
  private static String maven() {
    String home = System.getProperty("lpa.maven.home");
    if (home != null && Files.isExecutable(Path.of(home, "bin/mvn"))) {
      return Path.of(home, "bin/mvn").toString();
    }
    return "mvn";
  }

  /**
   * One directory per agent jar: a rebuilt jar gets fresh packages, never those of an older one, whose directories
   * (about 200 MB each) are deleted.
   */
  private static Path workDir() throws IOException {
    if (workDir == null) {
      Path all = Files.createDirectories(Path.of("target", "packages").toAbsolutePath());
      workDir = Files.createDirectories(all.resolve(
          Files.size(AGENT_JAR) + "-" + Files.getLastModifiedTime(AGENT_JAR).toMillis()));
      try (Stream<Path> builds = Files.list(all)) {
        for (Path older : builds.filter(p -> !p.equals(workDir)).toList()) {
          try {
            deleteTree(older);
          } catch (RuntimeException raced) {
            // the other test JVM is deleting it at the same time
          }
        }
      }
    }
    return workDir;
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot delete " + dir, e);
    }
  }
}
