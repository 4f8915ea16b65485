package io.linuxpatch.packages.backend.dnf.sandbox;

import io.linuxpatch.packages.sandbox.SandboxCommandException;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds {@code .rpm} files from {@link RpmSpec}s with the real {@code rpmbuild}, confined to a work
 * directory: {@code HOME} is the sandbox's home (so no {@code ~/.rpmmacros} of the machine is read), the
 * top, temporary and output directories are given with {@code --define}, and {@code --nodeps} keeps rpmbuild
 * from opening (and creating) an rpm database. The files are staged by Java and copied into the build root by
 * the spec's {@code %install}, so a file's content never passes through the spec text. Blocking (0.15 s per
 * package on this machine kind).
 */
public final class RpmBuilder {

  public static final Path RPMBUILD = Path.of("/usr/bin/rpmbuild");

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final Path workDirectory;
  private final Path home;
  private final ProcessRunner runner;

  /**
   * @param workDirectory where specs, staged files and rpmbuild's own directories go; a plain path (no
   *                      quote, {@code %}, {@code $} or whitespace) because it is written into the spec
   * @param home          {@code HOME} for rpmbuild
   */
  public RpmBuilder(Path workDirectory, Path home, ProcessRunner runner) {
    this.workDirectory = SandboxPaths.requirePlain(workDirectory.toAbsolutePath().normalize());
    this.home = home.toAbsolutePath().normalize();
    this.runner = runner;
  }

  /**
   * Builds {@code spec} and returns the {@code .rpm} written into {@code outputDirectory}
   * ({@code NAME-VERSION-RELEASE.ARCH.rpm}).
   *
   * @throws SandboxCommandException when rpmbuild fails
   */
  public Path build(RpmSpec spec, Path outputDirectory) {
    try {
      String id = spec.name() + "-" + spec.version() + "-" + spec.release();
      Path stage = workDirectory.resolve("stage").resolve(id);
      deleteTree(stage);
      Files.createDirectories(stage);
      for (RpmSpec.RpmFile file : spec.files()) {
        Path target = stage.resolve(file.path().substring(1));
        Files.createDirectories(target.getParent());
        if (file.source() != null) {
          Files.copy(file.source(), target, StandardCopyOption.REPLACE_EXISTING);
        } else {
          Files.write(target, file.content());
        }
        Files.setAttribute(target, "unix:mode", file.mode());
      }
      for (String directory : spec.directories()) {
        Files.createDirectories(stage.resolve(directory.substring(1)));
      }
      Path specs = Files.createDirectories(workDirectory.resolve("specs"));
      Path specFile = specs.resolve(id + ".spec");
      Files.writeString(specFile, specText(spec, stage), StandardCharsets.UTF_8);
      Path output = Files.createDirectories(outputDirectory.toAbsolutePath().normalize());
      Path tmp = Files.createDirectories(workDirectory.resolve("tmp"));
      Files.createDirectories(home);
      List<String> argv = List.of(RPMBUILD.toString(), "-bb", "--nodeps", "--quiet",
          "--define", "_topdir " + workDirectory.resolve("rpmbuild"),
          "--define", "_tmppath " + tmp,
          "--define", "_rpmdir " + output,
          "--define", "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm",
          specFile.toString());
      ProcessSpec command = ProcessSpec.of(argv).withExtraEnv(Map.of("HOME", home.toString())).withTimeout(TIMEOUT);
      SandboxCommandException.requireSuccess(command, runner.run(command));
      return builtFile(output, id);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build " + spec.nameVersionRelease() + " in " + workDirectory, e);
    }
  }

  /** The spec file for {@code spec}, whose {@code %install} copies {@code stage} into the build root. */
  static String specText(RpmSpec spec, Path stage) {
    StringBuilder text = new StringBuilder("# Written by linux-patch-api for its dnf sandbox.\n");
    text.append("Name: ").append(spec.name()).append('\n');
    if (spec.epoch() != null) {
      text.append("Epoch: ").append(spec.epoch()).append('\n');
    }
    text.append("Version: ").append(spec.version()).append('\n')
        .append("Release: ").append(spec.release()).append('\n')
        .append("Summary: ").append(literal(spec.summary())).append('\n')
        .append("License: MIT\n");
    if (spec.url() != null) {
      text.append("URL: ").append(literal(spec.url())).append('\n');
    }
    if ("noarch".equals(spec.arch())) {
      text.append("BuildArch: noarch\n");
    }
    // No automatic dependencies: the sandbox's packages depend on exactly what the spec says (and /bin/sh for a
    // scriptlet, which rpm always adds).
    text.append("AutoReqProv: no\n");
    for (RpmSpec.Relation kind : RpmSpec.Relation.values()) {
      for (String entry : spec.relations().getOrDefault(kind, List.of())) {
        text.append(kind.tag()).append(": ").append(entry).append('\n');
      }
    }
    // Binaries (sandbox-sh) are packaged as they are: no stripping, no debuginfo, no build-id links.
    text.append("%global __os_install_post %{nil}\n")
        .append("%global debug_package %{nil}\n")
        .append("%global _build_id_links none\n")
        .append("%description\n").append(literal(spec.description().isBlank() ? spec.summary() : spec.description()))
        .append('\n')
        .append("%install\n")
        .append("mkdir -p \"%{buildroot}\"\n")
        .append("cp -a '").append(stage).append("/.' \"%{buildroot}/\"\n")
        .append("%files\n");
    for (String directory : spec.directories()) {
      text.append("%dir ").append(directory).append('\n');
    }
    for (RpmSpec.RpmFile file : spec.files()) {
      text.append(file.path()).append('\n');
    }
    for (RpmSpec.Scriptlet which : RpmSpec.Scriptlet.values()) {
      String body = spec.scriptlets().get(which);
      if (body != null) {
        text.append(which.section()).append('\n').append(literal(body));
        if (!body.endsWith("\n")) {
          text.append('\n');
        }
      }
    }
    return text.toString();
  }

  /** rpm expands macros everywhere in a spec; {@code %%} is a literal percent sign. */
  private static String literal(String text) {
    return text.replace("%", "%%");
  }

  private static Path builtFile(Path output, String id) throws IOException {
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(output, id + ".*.rpm")) {
      stream.forEach(found::add);
    }
    if (found.size() != 1) {
      throw new IOException("rpmbuild reported success but " + output + " holds " + found + " for " + id);
    }
    return found.get(0);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
