package io.linuxpatch.packages.backend.dnf.sandbox;

import io.linuxpatch.packages.sandbox.SandboxCommandException;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code sandbox-sh} package: rpm runs scriptlets chrooted in the installroot with {@code /bin/sh}, so
 * the sandbox needs one. It holds the host's dash as {@code /bin/sh} plus exactly the shared objects
 * {@code ldd} says dash loads (the C library and the loader), at the paths the loader looks for them, and
 * {@code Provides: /bin/sh} so that dnf pulls it in for any package with a scriptlet.
 */
public final class SandboxShell {

  public static final String NAME = "sandbox-sh";
  public static final Path LDD = Path.of("/usr/bin/ldd");
  private static final List<Path> DASH = List.of(Path.of("/usr/bin/dash"), Path.of("/bin/dash"));

  /** {@code libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)} or {@code /lib64/ld-linux-x86-64.so.2 (0x…)}. */
  private static final Pattern LIBRARY = Pattern.compile("^\\s*(?:\\S+ => )?(/\\S+) \\(0x[0-9a-f]+\\)\\s*$");

  private SandboxShell() {
  }

  /**
   * The spec of {@code sandbox-sh} for this host.
   *
   * @throws IllegalStateException    when the host has no dash
   * @throws SandboxCommandException  when ldd fails
   */
  public static RpmSpec spec(ProcessRunner runner) {
    Path dash = DASH.stream().filter(Files::isExecutable).findFirst()
        .orElseThrow(() -> new IllegalStateException("the dnf sandbox needs the host's dash (/usr/bin/dash) for "
            + "its scriptlets' /bin/sh; install the dash package"));
    ProcessSpec ldd = ProcessSpec.of(LDD.toString(), dash.toString()).withTimeout(Duration.ofSeconds(30));
    ProcessResult result = SandboxCommandException.requireSuccess(ldd, runner.run(ldd));
    RpmSpec spec = RpmSpec.of(NAME, "1", "1", "a /bin/sh for scriptlets in the sandbox")
        .withArch(null)
        .withDescription("The host's dash with the C library and loader it needs, so that rpm scriptlets can run "
            + "chrooted in the linux-patch-api sandbox installroot.")
        .with(RpmSpec.Relation.PROVIDES, "/bin/sh")
        .withFile(RpmSpec.RpmFile.copyOf("/bin/sh", dash, 0755));
    for (String library : libraries(result.stdout().lines())) {
      spec = spec.withFile(RpmSpec.RpmFile.copyOf(library, Path.of(library), 0755));
    }
    return spec;
  }

  /** The absolute paths in ldd's output, in order, without duplicates (the vDSO has none). */
  static List<String> libraries(List<String> lddLines) {
    Set<String> paths = new LinkedHashSet<>();
    for (String line : lddLines) {
      Matcher m = LIBRARY.matcher(line);
      if (m.matches()) {
        paths.add(m.group(1));
      }
    }
    return new ArrayList<>(paths);
  }
}
