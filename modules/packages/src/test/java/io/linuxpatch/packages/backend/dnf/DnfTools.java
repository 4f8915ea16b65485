package io.linuxpatch.packages.backend.dnf;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The assumptions a test on real dnf, rpm, rpmbuild and createrepo_c makes about this machine. */
public final class DnfTools {

  public static final Path DNF = Path.of("/usr/bin/dnf");
  public static final Path RPM = Path.of("/usr/bin/rpm");
  public static final Path RPMBUILD = Path.of("/usr/bin/rpmbuild");
  public static final Path CREATEREPO = Path.of("/usr/bin/createrepo_c");
  public static final Path MODIFYREPO = Path.of("/usr/bin/modifyrepo_c");

  private DnfTools() {
  }

  /** Skips the test unless rpm can evaluate Lua (the version oracle). */
  public static void assumeRpm() {
    assumeTrue(Files.isExecutable(RPM), "rpm is not installed (apt-get install rpm)");
  }

  /** Skips the test unless dnf, rpm, rpmbuild and createrepo_c are installed and the test runs as root. */
  public static void assumeDnfSandboxTools() {
    assumeRpm();
    for (Path tool : new Path[] {DNF, RPMBUILD, CREATEREPO, MODIFYREPO}) {
      assumeTrue(Files.isExecutable(tool), tool + " is not installed (apt-get install dnf rpm createrepo-c "
          + "dnf-plugins-core)");
    }
    assumeTrue("root".equals(System.getProperty("user.name")),
        "dnf on an installroot needs root: as another user it fails on <root>/var/tmp and leaves /var/tmp/dnf-USER-*");
  }
}
