package io.linuxpatch.packages.backend.pacman.sandbox;

import io.linuxpatch.packages.sandbox.SandboxCommandException;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A local pacman repository: a directory with package files and the database {@code repo-add} keeps
 * ({@code NAME.db.tar.gz}, gzip like the Arch mirrors' {@code core.db}, with the {@code NAME.db} link pacman
 * downloads). repo-add keeps one version per name: adding {@code demo-tool 1.1-1} replaces 1.0-1 in the
 * database (the old file stays in the directory, and older versions stay installable from pacman's cache).
 */
public final class PacmanRepository {

  public static final Path REPO_ADD = Path.of("/usr/bin/repo-add");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final Path directory;
  private final String name;
  private final Path tmpDirectory;
  private final ProcessRunner runner;

  /**
   * @param directory    where packages and the database live (created when absent)
   * @param name         the repository's name, its {@code [section]} in pacman.conf
   * @param tmpDirectory repo-add's TMPDIR, so that its scratch directory stays in the sandbox
   */
  public PacmanRepository(Path directory, String name, Path tmpDirectory, ProcessRunner runner) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a plain repository name: \"" + name + "\"");
    }
    this.directory = directory.toAbsolutePath().normalize();
    this.name = name;
    this.tmpDirectory = tmpDirectory.toAbsolutePath().normalize();
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  public Path directory() {
    return directory;
  }

  public String name() {
    return name;
  }

  /** The database file repo-add writes. */
  public Path databaseFile() {
    return directory.resolve(name + ".db.tar.gz");
  }

  /** The {@code file://} URL of pacman.conf's {@code Server =} line. */
  public String serverUrl() {
    return directory.toUri().toString().replaceAll("/$", "");
  }

  /**
   * Copies the package files into the repository (when they are elsewhere) and adds them to its database with
   * {@code repo-add}; a name already in the database is replaced by the newly added version.
   *
   * @throws SandboxCommandException when repo-add fails
   */
  public void add(List<Path> packageFiles) {
    if (packageFiles.isEmpty()) {
      throw new IllegalArgumentException("name at least one package file to add");
    }
    List<String> argv = new ArrayList<>(List.of(REPO_ADD.toString(), "-q", databaseFile().toString()));
    try {
      Files.createDirectories(directory);
      Files.createDirectories(tmpDirectory);
      for (Path file : packageFiles) {
        Path inRepository = directory.resolve(file.getFileName().toString());
        if (!Files.exists(inRepository) || !Files.isSameFile(file, inRepository)) {
          Files.copy(file, inRepository, StandardCopyOption.REPLACE_EXISTING);
        }
        argv.add(inRepository.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy packages into " + directory, e);
    }
    ProcessSpec spec = ProcessSpec.of(argv).withExtraEnv(Map.of("TMPDIR", tmpDirectory.toString()))
        .withTimeout(TIMEOUT);
    SandboxCommandException.requireSuccess(spec, runner.run(spec));
  }
}
