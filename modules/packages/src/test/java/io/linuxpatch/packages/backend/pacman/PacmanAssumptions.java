package io.linuxpatch.packages.backend.pacman;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The tools a real-pacman sandbox test needs; a test on a machine without them is skipped, saying why. */
public final class PacmanAssumptions {

  private PacmanAssumptions() {
  }

  /** pacman, repo-add and bsdtar installed, and root (pacman refuses transactions otherwise). */
  public static void assumeSandboxPossible() {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/pacman")), "pacman is not installed (pacman-package-manager)");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/repo-add")), "repo-add is not installed (pacman-package-manager)");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/bsdtar")), "bsdtar is not installed (libarchive-tools)");
    assumeTrue("root".equals(System.getProperty("user.name")), "pacman transactions need root");
  }
}
