package io.linuxpatch.packages.backend.pacman.sandbox;

import io.linuxpatch.packages.sandbox.SandboxCommandException;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code sandbox-sh} package: the host's {@code /bin/sh} with the shared libraries and the program
 * interpreter it needs, at the paths {@code ldd} names, {@code provides = sh}. pacman runs install scriptlets
 * as {@code /bin/sh} chrooted into the root (SCRIPTLET_SHELL, found in libalpm), so without a shell in the
 * sandbox every scriptlet fails with "call to execv failed"; with this package installed scriptlets run, can
 * use shell built-ins, and a failing one is reported as pacman reports it on a real host.
 */
public final class ScriptletShell {

  public static final String NAME = "sandbox-sh";
  public static final String VERSION = "1.0-1";

  static final Path HOST_SHELL = Path.of("/bin/sh");
  static final Path LDD = Path.of("/usr/bin/ldd");

  private ScriptletShell() {
  }

  /**
   * The package spec, with the host's shell and libraries copied in (about 2 MB).
   *
   * @throws SandboxCommandException when {@code ldd /bin/sh} fails
   */
  public static PacmanPackageSpec fromHost(ProcessRunner runner) {
    ProcessSpec spec = ProcessSpec.of(LDD.toString(), HOST_SHELL.toString()).withTimeout(Duration.ofMinutes(1));
    ProcessResult result = SandboxCommandException.requireSuccess(spec, runner.run(spec));
    PacmanPackageSpec pkg = PacmanPackageSpec.of(NAME, VERSION,
            "the host's /bin/sh and its libraries, so that install scriptlets run chrooted in the sandbox")
        .withProvides("sh");
    try {
      pkg = pkg.withFile(PackageFile.bytes("bin/sh", Files.readAllBytes(HOST_SHELL), 0755));
      for (String library : libraries(result.stdout().lines())) {
        // the bytes of the real file, at the path the loader looks for (ldd names the path, which may be a link)
        pkg = pkg.withFile(PackageFile.bytes(library.substring(1), Files.readAllBytes(Path.of(library)), 0755));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the host's shell or its libraries", e);
    }
    return pkg;
  }

  /**
   * The absolute paths in {@code ldd}'s output: {@code libc.so.6 => /lib/…/libc.so.6 (0x…)} and the interpreter
   * line {@code /lib64/ld-linux-x86-64.so.2 (0x…)}; the vDSO has no file.
   */
  static List<String> libraries(List<String> lddOutput) {
    Set<String> paths = new LinkedHashSet<>();
    for (String line : lddOutput) {
      String text = line.strip();
      int arrow = text.indexOf("=> ");
      String candidate = arrow >= 0 ? text.substring(arrow + 3) : text;
      int space = candidate.indexOf(' ');
      String path = space >= 0 ? candidate.substring(0, space) : candidate;
      if (path.startsWith("/") && !path.contains("..")) {
        paths.add(path);
      }
    }
    return new ArrayList<>(paths);
  }
}
