package io.linuxpatch.packages.backend.dnf.sandbox;

import io.linuxpatch.packages.sandbox.SandboxCommandException;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * A local rpm repository for the dnf sandbox: a directory of {@code .rpm} files whose metadata
 * {@code createrepo_c} writes, with the advisories added as {@code updateinfo} by {@code modifyrepo_c}.
 *
 * <p>createrepo_c drops the updateinfo it did not write itself unless told {@code --keep-all-metadata}
 * (shared notes), so a first {@link #publish} writes everything and {@link #republish} after adding packages
 * keeps the advisories.
 */
public final class DnfRepository {

  public static final Path CREATEREPO = Path.of("/usr/bin/createrepo_c");
  public static final Path MODIFYREPO = Path.of("/usr/bin/modifyrepo_c");

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final Path directory;
  private final Path workDirectory;
  private final ProcessRunner runner;

  /**
   * @param directory     where the packages and {@code repodata/} live
   * @param workDirectory where {@code updateinfo.xml} is written before modifyrepo_c takes it in
   */
  public DnfRepository(Path directory, Path workDirectory, ProcessRunner runner) {
    this.directory = SandboxPaths.requirePlain(directory.toAbsolutePath().normalize());
    this.workDirectory = workDirectory.toAbsolutePath().normalize();
    this.runner = runner;
  }

  public Path directory() {
    return directory;
  }

  /** The {@code baseurl} of the repository. */
  public String baseUrl() {
    return "file://" + directory;
  }

  /** Copies a built package into the repository (not yet published). */
  public Path add(Path rpm) {
    try {
      Files.createDirectories(directory);
      return Files.copy(rpm, directory.resolve(rpm.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot add " + rpm + " to " + directory, e);
    }
  }

  /** Writes the metadata of every package in the directory, and {@code advisories} as its updateinfo. */
  public void publish(List<UpdateAdvisory> advisories) {
    run(List.of(CREATEREPO.toString(), "-q", directory.toString()));
    if (advisories.isEmpty()) {
      return;
    }
    try {
      Files.createDirectories(workDirectory);
      // modifyrepo_c names the metadata after the file: it must be called updateinfo.xml
      Path updateinfo = workDirectory.resolve("updateinfo.xml");
      Files.writeString(updateinfo, UpdateAdvisory.document(advisories), StandardCharsets.UTF_8);
      run(List.of(MODIFYREPO.toString(), "--mdtype=updateinfo", updateinfo.toString(),
          directory.resolve("repodata").toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the updateinfo of " + directory, e);
    }
  }

  /** Rewrites the metadata after packages were added, keeping the advisories already published. */
  public void republish() {
    run(List.of(CREATEREPO.toString(), "-q", "--update", "--keep-all-metadata", directory.toString()));
  }

  private void run(List<String> argv) {
    ProcessSpec spec = ProcessSpec.of(argv).withTimeout(TIMEOUT);
    SandboxCommandException.requireSuccess(spec, runner.run(spec));
  }
}
